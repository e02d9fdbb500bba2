//! A real SMTP server on loopback (mailin-embedded), playing the office's mail server: it
//! speaks SMTP to frontdesk's real client (lettre) and keeps every message it accepts.

use std::net::{IpAddr, TcpListener};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use mailin_embedded::{Handler, Response, Server, SslConfig, response};

/// One message as the server accepted it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent: headers, a blank line, the body.
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = self.data.split_once("\r\n\r\n")?;
        // Unfold continuation lines first.
        let head = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }

    /// The body, decoded from quoted-printable when it was sent so, with plain newlines.
    pub fn body(&self) -> String {
        let (_, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", &self.data));
        let encoding = self.header("Content-Transfer-Encoding").unwrap_or_default().to_lowercase();
        let text = match encoding.as_str() {
            "quoted-printable" => quoted_printable(body),
            "7bit" | "8bit" | "" => body.to_string(),
            other => panic!("a plain-text e-mail sent as {other}"),
        };
        text.replace("\r\n", "\n")
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = joined.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

#[derive(Clone)]
struct Keep {
    received: Arc<Mutex<Vec<Received>>>,
    /// Recipients still to refuse with a temporary failure (451) before accepting.
    refuse: Arc<AtomicU32>,
    current: Option<Received>,
}

impl Handler for Keep {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received { from: from.to_string(), to: to.to_vec(), data: String::new() });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let Some(message) = self.current.take() else { return response::INTERNAL_ERROR };
        self.received.lock().unwrap().push(message);
        response::OK
    }

    /// A refused recipient, as a greylisting server answers a sender it has not seen.
    fn rcpt(&mut self, _to: &str) -> Response {
        match self.refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)) {
            Ok(_) => Response::custom(451, "4.7.1 Greylisted, try again later".into()),
            Err(_) => response::OK,
        }
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicU32>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        SmtpSink::listen(TcpListener::bind("127.0.0.1:0").unwrap())
    }

    /// A loopback port nothing listens on (yet): the office's mail server, down.
    pub fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    /// The server, up on `port` (after `free_port`).
    pub fn start_on(port: u16) -> SmtpSink {
        SmtpSink::listen(TcpListener::bind(("127.0.0.1", port)).unwrap())
    }

    fn listen(listener: TcpListener) -> SmtpSink {
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(AtomicU32::new(0));
        let handler = Keep { received: received.clone(), refuse: refuse.clone(), current: None };
        let mut server = Server::new(handler);
        server.with_name("mail.example.org").with_ssl(SslConfig::None).unwrap().with_tcp_listener(listener);
        // The server runs until the test binary exits; each test has its own port.
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                eprintln!("the test SMTP server stopped: {e}");
            }
        });
        SmtpSink { port, received, refuse }
    }

    pub fn url(&self) -> String {
        smtp_url(self.port)
    }

    /// The next `n` recipients get a temporary failure (451), as a greylisting server answers.
    pub fn refuse_next(&self, n: u32) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// `SMTP_URL` for a server on this loopback port (plain SMTP, as a local relay speaks).
pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}
