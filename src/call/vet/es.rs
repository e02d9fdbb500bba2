//! `vet` for lines in Spanish: the same rules in the words a Spanish line says them with. A
//! promise ("le prometo", "mañana sin falta", "ya le mandé a alguien"), a time in words ("a las
//! tres", "mañana", "el lunes"), a price, or a number in words ("quinientos") is spoken only
//! when the office's data or the caller's own words hold it.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{Unfit, numbers};
use crate::call::heard::Heard;

static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(le |se lo |se la |les )?prometo\b|\bprometid[oa]\b|\bsin falta\b|\bgarantizad[oa]\b",
        r"|\bn[úu]mero de (ticket|caso|confirmaci[óo]n|referencia|orden)\b",
        r"|\b(en|dentro de) (unos |unas |un par de |pocos |\d+ )?(minutos|horas|d[íi]as)\b",
        r"|\b(ya )?(l[oea]s? )?(he|hemos) (transferido|comunicado|enviado|mandado|registrado|reportado|programado|avisado|notificado|creado|arreglado)\b",
        r"|\b(ya )?(est[áa]n?|qued[óo]|quedaron) (confirmad|programad|registrad|arreglad|resuelt|reportad|enviad|agendad)[oa]s?\b",
        r"|\b(ya )?(le |lo |la )?(transfer[íi]|comuniqu[ée]|envi[ée]|mand[ée]|registr[ée]|program[ée]|avis[ée]|report[ée])\b",
        r"|\bva(n|mos)? a (llegar|ir a su|pasar por|venir|estar ah[íi]|mandar a alguien)\b",
        r"|\b(est[áa]n?|va|van) en camino\b|\b(viene|vienen|llega|llegan) (hoy|ma[ñn]ana|ahora|pronto|enseguida)\b",
        r"|\b(mando|mandamos|env[íi]o|enviamos|le mando|le env[íi]o) a (alguien|un t[ée]cnico|un plomero|un electricista|mantenimiento|un s[úu]per)\b",
        r"|\bya (est[áa] )?todo listo\b|\best[áa] todo arreglado\b",
    ))
    .expect("valid regex")
});
/// When something will happen, in words.
static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\bma[ñn]ana\b|\besta (ma[ñn]ana|tarde|noche|semana)\b|\b(la )?pr[óo]xima semana\b|\bhoy mismo\b",
        r"|\b(lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\b|\ben punto\b|\bal rato\b",
        r"|\benseguida\b|\bahorita\b|\bpronto\b|\bfin de semana\b",
    ))
    .expect("valid regex")
});
/// A clock time in words: "a las tres", "a la una y media".
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\ba (la|las) (una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|\d{1,2})\b")
        .expect("valid regex")
});
static PRICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(d[óo]lar(es)?|centavos?|cargos?|costos?|cuesta|precio|precios|gratis|sin costo|dep[óo]sito|multa|recargo)\b")
        .expect("valid regex")
});
/// Numbers said as words: the rules' (`rules::es::phone::WORDS`) but "uno" ("un momento", "una
/// cosa" are no numbers), and these.
const MORE_NUMBER_WORDS: &[(&str, u16)] = &[("mil", 1000), ("docena", 12)];

/// The numbers a Spanish text says in words, as digits.
fn spanish_numbers(text: &str) -> BTreeSet<u64> {
    let heard = Heard::unaccented(text);
    let words = crate::call::rules::es::phone::WORDS.iter().filter(|(name, _)| *name != "uno");
    let words = words.chain(MORE_NUMBER_WORDS);
    heard
        .words()
        .filter_map(|w| words.clone().find(|(name, _)| *name == w).map(|(_, n)| u64::from(*n)))
        .collect()
}

/// A promise, a time, a price or a number in Spanish words that no source holds. `known` is
/// every source as one lower-case text (see `Sources::text`).
pub(super) fn check(line: &str, known: &str) -> Result<(), Unfit> {
    if let Some(found) = PROMISE.find(line) {
        return Err(Unfit::Promise(found.as_str().to_string()));
    }
    let lower = line.to_lowercase();
    let known_words = Heard::unaccented(known);
    for found in WHEN.find_iter(&lower) {
        if !known_words.has(&[Heard::unaccented(found.as_str()).text().trim()]) {
            return Err(Unfit::Unstated("time", found.as_str().to_string()));
        }
    }
    for found in PRICE.find_iter(&lower) {
        if !known_words.has(&[Heard::unaccented(found.as_str()).text().trim()]) {
            return Err(Unfit::Unstated("price", found.as_str().to_string()));
        }
    }
    let mut known_numbers = numbers(known);
    known_numbers.extend(spanish_numbers(known));
    // Office hours are held as "9 AM to 5 PM": a time said "a las cinco" is the same fact.
    let said = spanish_numbers(&lower).into_iter().chain(CLOCK.captures_iter(&lower).filter_map(|c| {
        let hour = c.get(2)?.as_str();
        hour.parse().ok().or_else(|| (hour == "una").then_some(1))
    }));
    for number in said {
        if !known_numbers.contains(&number) {
            let what = if CLOCK.is_match(&lower) { "time" } else { "number" };
            return Err(Unfit::Unstated(what, number.to_string()));
        }
    }
    Ok(())
}
