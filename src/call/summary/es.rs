//! A Spanish caller's words, in a few words: the thing and what is wrong with it when the
//! rules know both ("la llave del baño gotea": "la llave del baño gotea"), otherwise the part
//! of their words that says what is wrong, without greetings and fillers, turned from the
//! caller's point of view to the listener's ("mi baño" read back as "su baño").

use crate::call::heard::Heard;
use crate::call::lines::quote;

/// Greetings and fillers a read-back leaves out.
const GREETING: &[&str] = &[
    "hola", "buenos dias", "buenos días", "buenas tardes", "buenas noches", "buenas", "oiga", "mire",
    "bueno", "pues", "este", "si", "sí", "señora", "señor", "senora", "senor", "ay dios mio", "ay dios mío",
    "ay", "disculpe", "perdone", "le llamo porque", "llamo porque", "llamo para", "le llamo para", "es que",
    "quería decirle que", "queria decirle que", "quiero reportar que", "quiero reportar",
];

/// Words that say something is wrong: the stretch of words holding one is the problem.
const WRONG: &[&str] = &[
    "gotea", "goteando", "fuga", "roto", "rota", "rotos", "rotas", "no funciona", "no sirve", "no prende",
    "no enciende", "no calienta", "no cierra", "no abre", "tapado", "tapada", "atascado", "atascada",
    "se rompió", "se rompio", "se dañó", "se daño", "dañado", "dañada", "no hay", "no tengo", "no tenemos",
    "se salió", "se salio", "se inundó", "se inundo", "humedad", "moho", "cucarachas", "ratones", "chinches",
    "ratas", "huele", "se cayó", "se cayo", "suelto", "suelta", "hace ruido", "descompuesto", "descompuesta",
];

/// The problem in a few of the caller's words.
pub fn problem(utterance: &str) -> String {
    let kept: Vec<String> = utterance
        .split([',', '.', ';', '!', '?', '¡', '¿'])
        .map(|p| strip_greeting(p.trim()))
        .filter(|p| !p.is_empty())
        .collect();
    let wrong = |part: &String| {
        let heard = Heard::unaccented(part);
        WRONG.iter().any(|w| heard.has(&[Heard::unaccented(w).text().trim()]))
    };
    match kept.iter().find(|p| wrong(p)).or(kept.first()) {
        Some(words) => to_usted(&quote(&super::cut(words, 12))),
        None => quote(utterance),
    }
}

fn strip_greeting(words: &str) -> String {
    super::strip_any(words, GREETING)
}

/// The caller's words as the assistant says them back: "tengo un perro" is "tiene un perro".
pub fn to_usted(words: &str) -> String {
    const SWAPS: &[(&str, &str)] = &[
        ("mi", "su"),
        ("mis", "sus"),
        ("tengo", "tiene"),
        ("estoy", "está"),
        ("soy", "es"),
        ("puedo", "puede"),
        ("necesito", "necesita"),
        ("quiero", "quiere"),
        ("vivo", "vive"),
        ("trabajo", "trabaja"),
        ("salgo", "sale"),
        ("llego", "llega"),
        ("conmigo", "con usted"),
        ("yo", "usted"),
        ("nosotros", "ustedes"),
        ("nuestro", "su"),
        ("nuestra", "su"),
        ("tenemos", "tienen"),
        ("estamos", "están"),
    ];
    words
        .split_whitespace()
        .map(|word| {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            match SWAPS.iter().find(|(from, _)| *from == bare) {
                Some((from, to)) => {
                    let at = word.to_lowercase().find(from).unwrap_or(0);
                    let to = if word[at..].starts_with(|c: char| c.is_uppercase()) {
                        let mut cap = to.chars();
                        cap.next().map(|c| c.to_uppercase().chain(cap).collect()).unwrap_or_default()
                    } else {
                        to.to_string()
                    };
                    format!("{}{}{}", &word[..at], to, &word[at + from.len()..])
                }
                None => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spanish_problem_is_the_words_that_say_what_is_wrong_said_to_the_caller() {
        assert_eq!(problem("Hola, buenos días. Mi baño gotea mucho"), "Su baño gotea mucho");
        assert_eq!(problem("Oiga, tengo una fuga de agua en el baño"), "tiene una fuga de agua en el baño");
        assert_eq!(problem("la estufa no prende"), "la estufa no prende");
        assert_eq!(problem("hola"), "hola");
    }

    #[test]
    fn the_callers_words_are_turned_to_usted() {
        assert_eq!(to_usted("tengo un perro, toquen primero"), "tiene un perro, toquen primero");
        assert_eq!(to_usted("Mi hija está en casa"), "Su hija está en casa");
    }
}

/// Spanish words for things in a home and what goes wrong with them, in the English staff
/// read: the longest match in the caller's words names it.
const THINGS: &[(&str, &str)] = &[
    ("agua caliente", "hot water"),
    ("aire acondicionado", "air conditioning"),
    ("detector de humo", "smoke detector"),
    ("calefaccion", "heat"),
    ("calentador", "water heater"),
    ("radiador", "radiator"),
    ("inodoro", "toilet"),
    ("toilet", "toilet"),
    ("taza del bano", "toilet"),
    ("lavamanos", "bathroom sink"),
    ("lavabo", "bathroom sink"),
    ("fregadero", "kitchen sink"),
    ("pila", "sink"),
    ("grifo", "faucet"),
    ("pluma", "faucet"),
    ("llave del agua", "faucet"),
    ("ducha", "shower"),
    ("regadera", "shower"),
    ("banera", "bathtub"),
    ("tina", "bathtub"),
    ("desague", "drain"),
    ("drenaje", "drain"),
    ("nevera", "refrigerator"),
    ("refrigerador", "refrigerator"),
    ("refri", "refrigerator"),
    ("estufa", "stove"),
    ("horno", "oven"),
    ("microondas", "microwave"),
    ("lavaplatos", "dishwasher"),
    ("lavadora", "washer"),
    ("secadora", "dryer"),
    ("enchufe", "outlet"),
    ("tomacorriente", "outlet"),
    ("interruptor", "light switch"),
    ("luces", "lights"),
    ("luz", "lights"),
    ("bombillo", "light bulb"),
    ("ventana", "window"),
    ("puerta", "door"),
    ("cerradura", "lock"),
    ("llavin", "lock"),
    ("techo", "ceiling"),
    ("pared", "wall"),
    ("piso", "floor"),
    ("tuberia", "pipe"),
    ("tubo", "pipe"),
    ("ascensor", "elevator"),
    ("elevador", "elevator"),
    ("intercomunicador", "intercom"),
    ("intercom", "intercom"),
    ("timbre", "doorbell"),
    ("agua", "water"),
    ("moho", "mold"),
    ("humedad", "dampness"),
    ("cucarachas", "roaches"),
    ("ratones", "mice"),
    ("ratas", "rats"),
    ("chinches", "bedbugs"),
    ("hormigas", "ants"),
];
const FAULTS: &[(&str, &str)] = &[
    ("gotea", "leaking"),
    ("goteando", "leaking"),
    ("fuga", "leaking"),
    ("gotera", "leaking"),
    ("salidero", "leaking"),
    ("tapado", "clogged"),
    ("tapada", "clogged"),
    ("tupido", "clogged"),
    ("atascado", "stuck"),
    ("atascada", "stuck"),
    ("no funciona", "not working"),
    ("no sirve", "not working"),
    ("no prende", "won't turn on"),
    ("no enciende", "won't turn on"),
    ("no calienta", "not heating"),
    ("no enfria", "not cooling"),
    ("no cierra", "won't close"),
    ("no abre", "won't open"),
    ("roto", "broken"),
    ("rota", "broken"),
    ("se rompio", "broken"),
    ("no hay", "none"),
    ("no tengo", "none"),
];
const ROOMS: &[(&str, &str)] = &[
    ("bano", "bathroom"),
    ("cocina", "kitchen"),
    ("sala", "living room"),
    ("comedor", "dining room"),
    ("cuarto", "bedroom"),
    ("habitacion", "bedroom"),
    ("dormitorio", "bedroom"),
    ("recamara", "bedroom"),
    ("pasillo", "hallway"),
    ("sotano", "basement"),
    ("lavanderia", "laundry room"),
    ("entrada", "entrance"),
    ("balcon", "balcony"),
    ("closet", "closet"),
    ("escalera", "stairs"),
    ("vestibulo", "lobby"),
];

fn longest(words: &str, table: &[(&str, &'static str)]) -> Option<&'static str> {
    let heard = Heard::unaccented(words);
    table.iter().filter(|(es, _)| heard.has(&[es])).max_by_key(|(es, _)| es.len()).map(|(_, en)| *en)
}

/// What a Spanish caller reported, in the few English words staff read: the thing and what is
/// wrong with it ("toilet: clogged"), else "maintenance request".
pub fn for_staff(words: &str) -> String {
    match (longest(words, THINGS), longest(words, FAULTS)) {
        (Some(thing), Some(fault)) => format!("{thing}: {fault}"),
        (Some(thing), None) => format!("{thing}: problem reported"),
        (None, Some(fault)) => format!("something {fault}"),
        (None, None) => "maintenance request".into(),
    }
}

/// A place a Spanish caller named, in English when it is a room the rules know ("baño":
/// "bathroom"); their own word otherwise.
pub fn place_for_staff(place: &str) -> String {
    longest(place, ROOMS).map_or_else(|| place.to_string(), String::from)
}

#[cfg(test)]
mod staff_tests {
    use super::*;

    #[test]
    fn staff_read_what_a_spanish_caller_reported_in_english() {
        assert_eq!(for_staff("el inodoro está tapado"), "toilet: clogged");
        assert_eq!(for_staff("Hola, tengo una fuga de agua en el baño"), "water: leaking");
        assert_eq!(for_staff("la estufa no prende"), "stove: won't turn on");
        assert_eq!(for_staff("necesito ayuda"), "maintenance request");
        assert_eq!(place_for_staff("baño"), "bathroom");
        assert_eq!(place_for_staff("el garaje de atrás"), "el garaje de atrás");
    }
}
