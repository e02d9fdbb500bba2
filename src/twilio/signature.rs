//! `X-Twilio-Signature`: proof that a webhook came from Twilio and was not altered.
//!
//! base64(HMAC(key, url + every form name and value, sorted by name)). The key is the account's
//! auth token (HMAC-SHA1), or a shared signing key named in `X-Twilio-Webhooks-Signature-Settings`
//! (HMAC-SHA256). Like Twilio's own helpers, a URL is accepted with or without its default
//! port, because proxies disagree about writing `:443`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
}

#[derive(Clone)]
pub struct Verifier {
    auth_token: String,
    /// Shared signing keys by name, for the SHA-256 variant (several during a rotation).
    shared_keys: Vec<(String, String)>,
}

impl Verifier {
    pub fn new(auth_token: String, shared_keys: Vec<(String, String)>) -> Verifier {
        Verifier { auth_token, shared_keys }
    }

    /// `settings` is the `X-Twilio-Webhooks-Signature-Settings` header, when present.
    pub fn verify(
        &self,
        url: &str,
        params: &[(String, String)],
        signature: &str,
        settings: Option<&str>,
    ) -> bool {
        let Ok(signature) = BASE64.decode(signature.trim()) else {
            return false;
        };
        let (key, algorithm) = match settings {
            None => (self.auth_token.as_str(), Algorithm::Sha1),
            Some(settings) => {
                let field = |name: &str| {
                    settings.split(',').find_map(|kv| kv.trim().strip_prefix(name)?.strip_prefix('='))
                };
                let Some(secret) = field("key").and_then(|id| {
                    self.shared_keys.iter().find(|(name, _)| name == id).map(|(_, s)| s.as_str())
                }) else {
                    return false;
                };
                match field("algorithm") {
                    Some("HMAC_SHA256") => (secret, Algorithm::Sha256),
                    Some("HMAC_SHA1") => (secret, Algorithm::Sha1),
                    _ => return false,
                }
            }
        };
        url_variants(url).iter().any(|url| {
            let payload = payload(url, params);
            match algorithm {
                Algorithm::Sha1 => mac::<Hmac<Sha1>>(key, &payload).verify_slice(&signature).is_ok(),
                Algorithm::Sha256 => mac::<Hmac<Sha256>>(key, &payload).verify_slice(&signature).is_ok(),
            }
        })
    }
}

/// The signature Twilio would send: used by the terminal phone and by tests.
pub fn sign(key: &str, algorithm: Algorithm, url: &str, params: &[(String, String)]) -> String {
    let payload = payload(url, params);
    let bytes = match algorithm {
        Algorithm::Sha1 => mac::<Hmac<Sha1>>(key, &payload).finalize().into_bytes().to_vec(),
        Algorithm::Sha256 => mac::<Hmac<Sha256>>(key, &payload).finalize().into_bytes().to_vec(),
    };
    BASE64.encode(bytes)
}

fn mac<M: Mac + KeyInit>(key: &str, payload: &[u8]) -> M {
    let mut mac = <M as KeyInit>::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(payload);
    mac
}

/// The URL, then names and values sorted byte-wise by name (then value), duplicates once.
fn payload(url: &str, params: &[(String, String)]) -> Vec<u8> {
    let mut pairs: Vec<&(String, String)> = params.iter().collect();
    pairs.sort();
    pairs.dedup();
    let mut payload = url.as_bytes().to_vec();
    for (name, value) in pairs {
        payload.extend_from_slice(name.as_bytes());
        payload.extend_from_slice(value.as_bytes());
    }
    payload
}

/// The URL as given, plus the same URL with its default port added or removed.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_string()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return variants;
    };
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return variants,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host_end = authority.rfind(']').map_or(0, |i| i + 1);
    match authority[host_end..].rsplit_once(':') {
        Some((host, port)) if port == default_port => {
            let host = &authority[..host_end + host.len()];
            variants.push(format!("{scheme}://{host}{tail}"));
        }
        Some(_) => {}
        None => variants.push(format!("{scheme}://{authority}:{default_port}{tail}")),
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors computed by Twilio's official Python helper (twilio 9.13.0).
    const VECTORS: &str = include_str!("../../tests/fixtures/twilio-signatures.tsv");

    fn vectors() -> Vec<[String; 6]> {
        VECTORS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("description\t"))
            .map(|l| {
                let cols: Vec<String> = l.split('\t').map(String::from).collect();
                cols.try_into().expect("six columns")
            })
            .collect()
    }

    fn form(body: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(body.as_bytes()).into_owned().collect()
    }

    #[test]
    fn twilios_own_vectors_verify_and_sign() {
        let vectors = vectors();
        assert_eq!(vectors.len(), 8);
        for [description, algorithm, token, url, body, signature] in vectors {
            let params = form(&body);
            let (verifier, settings, algorithm) = match algorithm.as_str() {
                "HMAC_SHA1" => (Verifier::new(token.clone(), vec![]), None, Algorithm::Sha1),
                _ => (
                    Verifier::new("not-this-one".into(), vec![("SKtest".into(), token.clone())]),
                    Some("key=SKtest,algorithm=HMAC_SHA256"),
                    Algorithm::Sha256,
                ),
            };
            assert_eq!(sign(&token, algorithm, &url, &params), signature, "{description}");
            assert!(verifier.verify(&url, &params, &signature, settings), "{description}");
        }
    }

    #[test]
    fn the_default_port_may_be_present_or_not() {
        let params = form(
            "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212",
        );
        let verifier = Verifier::new("12345".into(), vec![]);
        // Signed without the port, checked against a URL that has it, and the other way round.
        assert!(verifier.verify(
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
            None
        ));
        assert!(verifier.verify(
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
            "EpDEmp1PyjDYp77YxYU3GILBWzE=",
            None
        ));
    }

    #[test]
    fn anything_altered_fails() {
        let params = form("CallSid=CA1&SpeechResult=hi+there&From=%2B17185551234");
        let url = "https://example.com/voice/gather?turn=2";
        let verifier = Verifier::new("12345".into(), vec![]);
        assert!(verifier.verify(url, &params, "wkoZhBHx1fE369c652MtG6603Q4=", None));
        assert!(!verifier.verify(
            "https://example.com/voice/gather?turn=3",
            &params,
            "wkoZhBHx1fE369c652MtG6603Q4=",
            None
        ));
        assert!(!verifier.verify(
            url,
            &form("CallSid=CA1&SpeechResult=hi&From=%2B17185551234"),
            "wkoZhBHx1fE369c652MtG6603Q4=",
            None
        ));
        assert!(
            !Verifier::new("54321".into(), vec![]).verify(url, &params, "wkoZhBHx1fE369c652MtG6603Q4=", None)
        );
        assert!(!verifier.verify(url, &params, "not base64!", None));
        assert!(!verifier.verify(url, &params, "", None));
        // A shared-key header naming a key we do not hold is refused, not downgraded.
        assert!(!verifier.verify(
            url,
            &params,
            "wkoZhBHx1fE369c652MtG6603Q4=",
            Some("key=SKother,algorithm=HMAC_SHA256")
        ));
    }
}
