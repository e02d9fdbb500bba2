//! The keyword rules in Spanish, as New York's Puerto Rican, Dominican and Mexican callers
//! say things on the phone ("la pluma del baño gotea", "el zafacón", "no tira calor"),
//! Spanglish included ("el toilet está tapado", "el heat no sirve").
//!
//! The same categories as the English rules and the same order of precedence, so a reading
//! means the same to the machine in either language. Phrases are written without accents, as
//! `heard` matches them: a speech model may write "baño" or "bano", "hay" or "ay".

mod phone;

use crate::call::hazards::{ENGLISH, SPANISH};
use crate::call::heard::Heard;
use crate::call::language::{self, Language};
use crate::call::reading::{Aside, Hazard, Intent, Reading, Topic};

/// Things in a home or building that break, and the ways they do.
const PROBLEM: &[&str] = &[
    "gotea", "gotean", "goteando", "goteo", "gotera", "goteras", "fuga", "salidero", "se sale el agua",
    "roto", "rota", "rotos", "rotas", "se rompio", "rompio", "quebrado", "quebrada", "se dano", "danado",
    "danada", "danados", "no funciona", "no funcionan", "no sirve", "no sirven", "no prende", "no prenden",
    "no enciende", "no calienta", "no enfria", "no cierra", "no abre", "no se abre", "no se cierra",
    "no baja", "no jala", "no descarga", "no tranca", "tapado", "tapada", "tupido", "tupida", "atascado",
    "atascada", "atorado", "atorada", "trabado", "trabada", "pegado", "pegada", "suelto", "suelta", "flojo",
    "floja", "se mueve", "rajado", "rajada", "rajadura", "grieta", "grietas", "pelando", "se esta pelando",
    "parpadea", "parpadeando", "moho", "hongo", "hongos", "humedad", "ratones", "raton", "ratas", "rata",
    "cucarachas", "cucaracha", "chinches", "hormigas", "insectos", "bichos", "plaga", "avispas", "abejas",
    "palomas", "ardillas", "termitas", "se salio", "se despego", "despegado", "hace ruido", "ruido raro",
    "zumbido", "golpes", "liquea", "liqueando", "liqueo", "se tapo", "se tupio", "extintor", "extinguidor",
    "sink", "inodoro", "toilet", "taza del bano", "lavamanos", "lavabo", "fregadero", "pila", "grifo",
    "llave del agua", "pluma", "ducha", "regadera", "banera", "tina", "desague", "drenaje", "nevera",
    "refrigerador", "refri", "congelador", "freezer", "estufa", "horno", "hornilla", "hornillas", "quemador",
    "quemadores", "microondas", "lavaplatos", "lavavajillas", "triturador", "extractor", "campana",
    "aire acondicionado", "el aire", "lavadora", "secadora", "enchufe", "enchufes", "tomacorriente", "luz",
    "luces", "bombillo", "bombillos", "foco", "bombilla", "interruptor", "suiche", "abanico", "ventilador",
    "termostato", "ventana", "ventanas", "screen", "mosquitero", "persianas", "cortinas", "puerta",
    "puertas", "cerradura", "llavin", "cerrojo", "manija", "perilla", "gabinete", "gabinetes", "cajon",
    "gaveta", "closet", "techo", "pared", "paredes", "piso", "losetas", "azulejos", "baldosas", "lozas",
    "alfombra", "pintura", "calefaccion", "calentador", "heat", "heater", "boiler", "caldera", "radiador",
    "radiadores", "tuberia", "tubo", "tubos", "caneria", "ventilacion", "detector de humo", "alarma de humo",
    "detector", "bateria", "intercom", "intercomunicador", "timbre", "ascensor", "elevador", "buzon",
    "porton", "reja", "barandal", "baranda", "pasamanos", "escalera", "escaleras", "escalones", "acera",
    "hielo", "nieve", "cuarto de la basura", "chimenea", "espejo", "agua", "agua caliente", "no hay luz",
    "mal olor",
];
const REPAIR: &[&str] = &[
    "mantenimiento", "reparacion", "reparaciones", "reparar", "arreglar", "arreglen", "arreglo",
    "orden de trabajo", "pedido de reparacion", "solicitud de mantenimiento", "que vengan a ver",
    "que alguien venga", "mandar a alguien", "manden a alguien", "mande a alguien", "que revisen", "revisar",
    "una llave nueva", "copia de la llave", "copia de mi llave", "otra llave", "work order",
];
const URGENT: &[&str] = &[
    "gotea", "goteando", "fuga", "salidero", "gotera", "no hay agua caliente", "cerradura", "llavin",
    "inodoro", "toilet", "nevera", "refrigerador", "moho", "ascensor", "elevador", "me quede afuera",
    "perdi las llaves",
];
/// Asking for a person in so many words.
const PERSON: &[&str] = &[
    "hablar con", "hablo con", "comunicarme con", "comuniqueme", "comunicame", "me comunica",
    "comunicar con", "paseme", "pasame", "me pasa con", "me puede pasar", "transfierame", "transferirme",
    "transfiera", "transferir", "conecteme", "conectarme", "persona real", "persona de verdad", "ser humano",
    "un humano", "representante", "operador", "operadora", "gerente", "manager", "encargado", "encargada",
    "administrador", "administradora", "dueno", "duena", "casero", "landlord", "superintendente",
    "contabilidad", "agente", "en la linea", "al telefono", "el que manda", "la que manda",
    "alguien de la oficina", "que me llame alguien", "que alguien me llame", "que me llamen",
    "me devuelvan la llamada",
];
/// Someone, but maybe someone to come and fix a thing.
const SOMEONE: &[&str] = &["alguien", "una persona", "persona", "el personal"];
/// Words that make a question about a thing a report that it is broken.
const FAULT: &[&str] = &[
    "roto", "rota", "rotos", "rotas", "se rompio", "se dano", "danado", "danada", "gotea", "goteando",
    "fuga", "salidero", "no funciona", "no sirve", "no prende", "no enciende", "tapado", "tapada", "tupido",
    "atascado", "atascada", "trabado", "trabada", "pegado", "hace un ruido", "haciendo un ruido",
    "ruido raro", "ruido extrano", "cucarachas", "ratones", "chinches", "bichos", "se desbordo", "rebosando",
    "no cierra",
];
/// A question about a rule, a bill or the building, not a report of trouble.
const QUESTION: &[&str] = &[
    "factura", "facturas", "cuenta de", "incluido", "incluida", "incluye", "permitido", "permiten",
    "se permite", "se puede tener", "puedo tener", "puedo usar", "podemos tener", "seguro de inquilino",
    "aseguranza", "inspeccion", "simulacro", "politica", "zona", "aviso", "a mi nombre", "es verdad",
    "quien paga", "pagar por", "renovar", "renovacion", "bill", "hay que tener", "tengo que tener",
    "es obligatorio", "necesito tener", "lo pago yo",
];
/// A question about what to do if something happened, however broken it sounds.
const WHAT_IF: &[&str] = &[
    "a quien llamo si", "a quien llamo cuando", "que hago si", "que pasa si", "que debo hacer si",
    "en caso de que",
];
const TOPICS: &[(Topic, &[&str])] = &[
    (
        Topic::LateFees,
        &[
            "recargo", "recargos", "cargo por atraso", "cargo de atraso", "multa", "multas", "late fee",
            "pagar tarde", "pago tarde", "periodo de gracia", "dias de gracia", "mora", "penalidad",
        ],
    ),
    (
        Topic::RentPayment,
        &[
            "pagar la renta", "pagar renta", "pagar mi renta", "pago la renta", "pago de la renta",
            "pagar el alquiler", "pago", "pagos", "giro postal", "money order", "pagar en linea",
            "pagar por internet", "portal", "la renta", "cheque", "recibo", "se vence la renta",
        ],
    ),
    (
        Topic::Pets,
        &["mascota", "mascotas", "perro", "perros", "perrito", "gato", "gatos", "gatito", "animales"],
    ),
    (
        Topic::Parking,
        &[
            "estacionamiento", "estacionar", "parqueo", "parquear", "parking", "garaje",
            "permiso de estacionamiento",
        ],
    ),
    (Topic::Laundry, &["lavanderia", "cuarto de lavado", "lavadoras", "laundry"]),
    (Topic::Trash, &["basura", "reciclaje", "reciclar", "zafacon", "zafacones"]),
    (Topic::Packages, &["paquete", "paquetes", "entrega", "entregas", "correo", "amazon"]),
    (
        Topic::QuietHours,
        &[
            "horas de silencio", "ruido", "ruidoso", "ruidosos", "bulla", "escandalo", "musica alta",
            "silencio",
        ],
    ),
    (Topic::MoveInOut, &["mudanza", "mudarme", "mudarnos", "me mudo", "nos mudamos", "mudar"]),
    (Topic::Amenities, &["gimnasio", "piscina", "azotea", "almacenamiento", "bicicletas", "amenidades"]),
    (
        Topic::Applying,
        &["aplicar", "aplicacion", "solicitud", "solicitar", "verificacion de credito", "chequeo de credito"],
    ),
];
const LEASING: &[&str] = &[
    "disponible", "disponibles", "se alquila", "alquiler", "alquilar", "alquilan", "rentar", "rentan",
    "en renta", "buscando apartamento", "buscando un apartamento", "busco apartamento",
    "busco un apartamento", "buscando un lugar", "necesito un lugar", "necesito apartamento",
    "necesito un apartamento", "ver el apartamento", "ver un apartamento", "ver una unidad", "ver la unidad",
    "ensenar", "mostrar", "cita para ver", "visitar el apartamento", "de un cuarto", "de dos cuartos",
    "de tres cuartos", "una habitacion", "dos habitaciones", "estudio", "estudios", "vacante", "vacantes",
    "se desocupa", "se va a desocupar", "anuncio", "apartamento libre", "apartamentos libres",
    "algun apartamento", "tienen apartamento", "tienen apartamentos", "cuanto cuesta un apartamento",
    "precio del apartamento",
];
/// Hours asked for in so many words: these win over a leasing or person word.
const HOURS_ASKED: &[&str] = &[
    "horario", "horarios", "horas de oficina", "que hora", "que horas", "hasta que hora", "hasta que horas",
    "desde que hora", "que tan tarde", "que tan temprano", "estan abiertos", "esta abierto", "esta abierta",
    "estan abiertas", "siguen abiertos", "pasar por", "paso por", "pasarme por", "cuando abren",
    "cuando cierran", "cuando puedo ir", "cuando puedo pasar", "hay alguien en la oficina", "atienden",
    "lo mas temprano",
];
const HOURS: &[&str] = &[
    "abren", "abre", "abierto", "abierta", "abiertos", "cierran", "cerrado", "cerrada", "cerrados", "sabado",
    "sabados", "domingo", "domingos", "fin de semana", "feriado", "feriados", "dias festivos", "festivo",
];
/// Where to go, bring or send something: the office's address answers it.
const WHERE: &[&str] = &["donde", "adonde", "en que calle", "direccion"];
const WHERE_TO: &[&str] = &[
    "oficina", "ustedes", "quedan", "queda", "ubicados", "ubicada", "dejar", "dejo", "llevar", "llevo",
    "entregar", "entrego", "recoger", "recojo", "buscar", "busco", "mandar", "mando", "enviar", "envio",
    "firmar", "firmo", "devolver", "devuelvo", "ir", "voy", "tengo que ir",
];
const ADDRESS: &[&str] = &[
    "direccion", "donde estan", "donde queda la oficina", "donde esta la oficina", "ubicados", "ubicacion",
    "como llego", "como llegar", "en que calle", "indicaciones",
];
/// Farewells that can look like something else ("llamo después" is not a transfer).
const FAREWELL: &[&str] = &[
    "hasta luego", "nos vemos", "cuidese", "cuidate", "me tengo que ir", "tengo que irme", "llamo despues",
    "llamo luego", "llamo mas tarde", "luego llamo", "le llamo despues", "olvidelo", "olvidalo",
    "dejelo asi", "dejalo asi", "bye bye", "adios", "que le vaya bien", "que tenga buen dia",
    "que tenga un buen dia", "hasta pronto", "hasta manana",
];
const GOODBYE: &[&str] = &[
    "chao", "chau", "bye", "eso es todo", "es todo", "seria todo", "eso seria todo", "eso era todo",
    "era todo", "nada mas", "ya esta", "estoy bien asi", "no necesito nada mas", "bendiciones",
    "que tenga buena tarde", "que tenga una buena tarde", "que tenga buenas noches",
];
/// A whole utterance that is a farewell only when said alone.
const FAREWELL_ALONE: &[&str] = &["chao", "bye", "ciao", "listo"];
const THANKS: &[&str] = &[
    "gracias", "muchas gracias", "mil gracias", "se lo agradezco", "le agradezco", "agradecido",
    "agradecida", "muy amable", "thank you", "thanks",
];
const HELLO: &[&str] = &[
    "hola", "buenos dias", "buen dia", "buenas tardes", "buenas noches", "buenas", "alo", "oiga", "bueno",
    "hello", "hi", "saludos",
];
const YES: &[&str] = &[
    "si", "claro", "claro que si", "correcto", "exacto", "exactamente", "eso es", "asi es", "dale", "ok",
    "okay", "okey", "esta bien", "de acuerdo", "por favor", "como no", "perfecto", "andale", "orale", "yes",
    "yeah", "pues si", "sip", "aja", "vale", "adelante", "puede entrar", "pueden entrar", "tiene permiso",
    "tienen permiso",
];
const NO: &[&str] = &[
    "no", "nada", "negativo", "para nada", "incorrecto", "esta mal", "todavia no", "nop", "nel",
    "de ninguna manera", "mejor no", "nope",
];
const THIS_NUMBER: &[&str] = &[
    "este numero", "este mismo numero", "el mismo numero", "este mismo", "el mismo", "este telefono",
    "este celular", "desde el que llamo", "del que llamo", "del que estoy llamando", "a este numero",
    "de donde estoy llamando", "el que estoy usando",
];
/// Where in the home, most specific first ("cuarto de lavado" before "cuarto").
const ROOMS: &[&str] = &[
    "cuarto de lavado", "sala comedor", "cuarto principal", "habitacion principal", "recamara principal",
    "cocina", "bano", "banos", "sala", "comedor", "recamara", "dormitorio", "habitacion", "cuarto",
    "pasillo", "sotano", "closet", "balcon", "patio", "garaje", "lobby", "vestibulo", "escalera",
    "escaleras", "azotea", "lavanderia", "entrada",
];
/// Where one request ends and another begins, in a run-on sentence.
const SEPARATORS: &[&str] = &[
    " y tambien ", " tambien ", " y ademas ", " ademas ", " y otra cosa ", " otra cosa ", " y luego ",
    " pero primero ", " y ", " pero ",
];

/// Words a speech model writes for the one a caller said, sound for sound ("ay humo" is
/// "hay humo", "un tuvo" is "un tubo"), put right before matching; word for word, so the
/// caller's own words still line up (`location`).
const SOUNDALIKES: &[(&str, &str)] = &[
    (" ay ", " hay "),
    (" ola ", " hola "),
    (" tasa ", " taza "),
    (" votando ", " botando "),
    (" calefacion ", " calefaccion "),
    (" el tuvo ", " el tubo "),
    (" un tuvo ", " un tubo "),
    (" los tuvos ", " los tubos "),
    (" ta ", " esta "),
    (" apagao ", " apagado "),
    (" danao ", " danado "),
    (" tapao ", " tapado "),
];

/// An utterance as the Spanish rules match it: without accents, soundalikes put right.
fn heard(utterance: &str) -> Heard {
    let mut text = Heard::unaccented(utterance).text().to_string();
    for (written, said) in SOUNDALIKES {
        // Twice: replacements of neighbouring words share the space between them.
        for _ in 0..2 {
            text = text.replace(written, said);
        }
    }
    Heard::new(&text)
}

/// Reads an utterance in the language it is said in: Spanish by these rules, English by
/// `english`; an utterance that could be either goes to whichever understands it, and a
/// danger named in either language is never missed.
pub(super) fn read_either(
    utterance: &str,
    staff: &[String],
    english: fn(&str, &[String]) -> Reading,
) -> Reading {
    let cue = language::cue(utterance);
    let mut reading = match cue.speaks {
        Some(Language::Spanish) => read(utterance, staff),
        speaks => {
            let first = english(utterance, staff);
            let spanish_hazard = !SPANISH.heard(&heard(utterance)).is_empty();
            let fallback = (first.hazard.is_none() && spanish_hazard)
                || (speaks.is_none() && !understood(&first) && understood(&read(utterance, staff)));
            if fallback { read(utterance, staff) } else { Reading { language: speaks, ..first } }
        }
    };
    reading.wants_language = cue.wants;
    reading
}

/// Whether a reading found anything at all in the utterance.
fn understood(r: &Reading) -> bool {
    !matches!(r.intent, None | Some(Intent::Other))
        || r.hazard.is_some()
        || r.answer.is_some()
        || r.location.is_some()
        || r.phone.is_some()
        || r.this_number
        || r.staff.is_some()
}

/// The danger named at all, happening or not, in Spanish.
pub(super) fn mentioned_hazard(utterance: &str) -> Option<Hazard> {
    SPANISH.mentioned(&heard(utterance))
}

/// Every hazard said, in Spanish or in the English words a Spanish speaker mixes in.
fn hazard(h: &Heard, said: &Heard) -> Option<Hazard> {
    SPANISH.heard(h).into_iter().chain(ENGLISH.heard(said)).min()
}

fn read(utterance: &str, staff: &[String]) -> Reading {
    let said = Heard::new(utterance);
    let h = heard(utterance);
    let hazard = hazard(&h, &said);
    let named = named(&h, staff);
    let (intent, topic) = intent(&h, hazard, named.is_some());
    Reading {
        intent: Some(intent),
        hazard,
        describes_problem: hazard.is_some() || (intent == Intent::Maintenance && h.has(PROBLEM)),
        urgent: h.has(URGENT),
        answer: answer(&h),
        location: location(&h, &said),
        phone: phone::phone(&h),
        this_number: h.has(THIS_NUMBER),
        staff: named,
        topic,
        address: None,
        language: Some(Language::Spanish),
        wants_language: None,
        reply: None,
        also: asides(&h, intent, staff),
    }
}

/// A staff member named, also as a Spanish speech model spells an English name ("Diana"
/// for Diane); only longer names, whose near-misses are not everyday words.
fn named(h: &Heard, staff: &[String]) -> Option<String> {
    let likeness = |word: &str, name: &str| {
        word.len() >= 5 && name.len() >= 5 && strsim::jaro_winkler(word, name) >= 0.9
    };
    staff
        .iter()
        .find(|name| {
            let name = Heard::unaccented(name);
            let name = name.text().trim();
            h.has(&[name]) || (!name.contains(' ') && h.words().any(|word| likeness(word, name)))
        })
        .cloned()
}

fn answer(h: &Heard) -> Option<bool> {
    match (h.position(YES), h.position(NO)) {
        (Some(yes), Some(no)) => Some(yes < no),
        (yes, no) => yes.map(|_| true).or(no.map(|_| false)),
    }
}

/// The room named, in the caller's own spelling (a model's location must be the caller's
/// words too, see `vet::location`).
fn location(h: &Heard, said: &Heard) -> Option<String> {
    let at = ROOMS.iter().find_map(|room| h.position(&[room]).map(|at| (at, room.split(' ').count())))?;
    let (at, length) = at;
    let before = h.text()[..at].split_whitespace().count();
    let words: Vec<&str> = said.words().skip(before).take(length).collect();
    (words.len() == length).then(|| words.join(" "))
}

/// What one stretch of words asks for, most urgent first, in the English rules' order.
fn intent(h: &Heard, hazard: Option<Hazard>, staff: bool) -> (Intent, Option<Topic>) {
    let problem = hazard.is_some() || h.has(PROBLEM);
    let question = hazard.is_none() && ((h.has(QUESTION) && !h.has(FAULT)) || h.has(WHAT_IF));
    let topic = TOPICS.iter().find(|(_, words)| h.has(words)).map(|(topic, _)| *topic);
    let topic = topic.filter(|_| hazard.is_none() && !h.has(FAULT));
    let asks_where = h.has(WHERE) && h.has(WHERE_TO) && !h.has(&["en linea", "por internet"]);
    let intent = if hazard.is_none() && (h.has(FAREWELL) || FAREWELL_ALONE.contains(&h.text().trim())) {
        Intent::Goodbye
    } else if staff || h.has(PERSON) {
        Intent::Person
    } else if hazard.is_some() || (!question && problem) {
        Intent::Maintenance
    } else if asks_where {
        Intent::Address
    } else if !question && h.has(REPAIR) {
        Intent::Maintenance
    } else if topic.is_some() {
        Intent::Policy
    } else if question {
        Intent::Other
    } else if h.has(HOURS_ASKED) {
        Intent::Hours
    } else if h.has(LEASING) {
        Intent::Leasing
    } else if h.has(HOURS) {
        Intent::Hours
    } else if h.has(ADDRESS) {
        Intent::Address
    } else if h.has(SOMEONE) {
        Intent::Person
    } else if h.has(GOODBYE) {
        Intent::Goodbye
    } else if h.has(THANKS) {
        Intent::Thanks
    } else if h.has(HELLO) {
        Intent::Hello
    } else {
        Intent::Other
    };
    (intent, topic.filter(|_| intent == Intent::Policy))
}

/// Requests besides the most urgent one: each clause that asks for something else.
fn asides(h: &Heard, first: Intent, staff: &[String]) -> Vec<Aside> {
    let mut parts = vec![h.text().to_string()];
    for separator in SEPARATORS {
        parts = parts
            .iter()
            .flat_map(|part| part.split(separator).map(|p| format!(" {} ", p.trim())).collect::<Vec<_>>())
            .collect();
    }
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
    let mut asides: Vec<Aside> = Vec::new();
    if parts.len() < 2 {
        return asides;
    }
    for part in parts {
        let clause = Heard::new(&part);
        let hazard = SPANISH.heard(&clause).first().copied();
        let (intent, _) = intent(&clause, hazard, named(&clause, staff).is_some());
        let substantive = matches!(
            intent,
            Intent::Maintenance
                | Intent::Person
                | Intent::Policy
                | Intent::Leasing
                | Intent::Hours
                | Intent::Address
        );
        if substantive && intent != first && !asides.iter().any(|a| a.intent == intent) {
            asides.push(Aside { intent, words: part.trim().to_string() });
        }
    }
    asides
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;

    fn staff() -> Vec<String> {
        vec!["Diane".into(), "Janier".into()]
    }

    fn intent(text: &str) -> Intent {
        read(text, &staff()).intent.unwrap()
    }

    #[test]
    fn intents() {
        assert_eq!(intent("¿Cuál es su horario?"), Intent::Hours);
        assert_eq!(intent("a que hora abren mañana"), Intent::Hours);
        assert_eq!(intent("¿Cuál es la dirección de la oficina?"), Intent::Address);
        assert_eq!(intent("¿dónde quedan ustedes?"), Intent::Address);
        assert_eq!(intent("quiero hablar con una persona"), Intent::Person);
        assert_eq!(intent("¿está Diane?"), Intent::Person);
        assert_eq!(intent("el fregadero de la cocina está goteando"), Intent::Maintenance);
        assert_eq!(intent("necesito poner una orden de mantenimiento"), Intent::Maintenance);
        assert_eq!(intent("¿cómo pago la renta?"), Intent::Policy);
        assert_eq!(read("¿puedo tener un perro?", &staff()).topic, Some(Topic::Pets));
        assert_eq!(intent("¿tienen apartamentos disponibles?"), Intent::Leasing);
        assert_eq!(intent("muchas gracias"), Intent::Thanks);
        assert_eq!(intent("no, eso es todo, adiós"), Intent::Goodbye);
        assert_eq!(intent("hola, buenas tardes"), Intent::Hello);
    }

    #[test]
    fn spanish_is_read_as_spanish_and_english_as_english() {
        let r = read("Hola, tengo una fuga de agua en el baño", &staff());
        assert_eq!((r.intent, r.language), (Some(Intent::Maintenance), Some(Language::Spanish)));
        assert_eq!(r.location.as_deref(), Some("baño"), "the caller's own word");
        assert!(r.describes_problem && r.urgent);
        let r = read("my kitchen sink is leaking", &staff());
        assert_eq!((r.intent, r.language), (Some(Intent::Maintenance), Some(Language::English)));
        assert_eq!(read("en el bano", &staff()).location.as_deref(), Some("bano"));
    }

    #[test]
    fn emergencies_above_all() {
        for (said, hazard) in [
            ("huele a gas", Hazard::Gas),
            ("hay humo", Hazard::Smoke),
            ("se inundó", Hazard::Flooding),
            ("no hay calefacción", Hazard::NoHeat),
            ("se cayó el techo", Hazard::StructuralCollapse),
            ("sale chispas del enchufe", Hazard::Electrical),
            ("monóxido", Hazard::CarbonMonoxide),
            ("fire", Hazard::Fire),
        ] {
            let r = read(said, &staff());
            assert_eq!((r.hazard, r.intent), (Some(hazard), Some(Intent::Maintenance)), "{said}");
        }
        assert_eq!(super::super::mentioned_hazard("el gas, el gas"), Some(Hazard::Gas));
        assert_eq!(super::super::mentioned_hazard("incendio"), Some(Hazard::Fire));
    }

    #[test]
    fn answers_numbers_and_names() {
        assert_eq!(read("sí", &staff()).answer, Some(true));
        assert_eq!(read("sí, pueden entrar", &staff()).answer, Some(true));
        assert_eq!(read("no, no entren", &staff()).answer, Some(false));
        assert_eq!(read("dale", &staff()).answer, Some(true));
        let r = read("llámeme al siete uno ocho cinco cinco cinco cero uno cero dos", &staff());
        assert_eq!(r.phone.map(|p| p.e164().to_string()).as_deref(), Some("+17185550102"));
        assert!(read("a este mismo número", &staff()).this_number);
        assert_eq!(read("páseme con Diana por favor", &staff()).staff.as_deref(), Some("Diane"));
        assert_eq!(read("quiero hablar con janier", &staff()).staff.as_deref(), Some("Janier"));
    }

    #[test]
    fn several_requests_are_read_clause_by_clause() {
        let r = read("el inodoro está tapado y también a qué hora cierran", &staff());
        assert_eq!(r.intent, Some(Intent::Maintenance));
        assert_eq!(r.also, [Aside { intent: Intent::Hours, words: "a que hora cierran".into() }]);
    }

    #[test]
    fn a_request_for_a_language_is_kept() {
        assert_eq!(read("en español por favor", &staff()).wants_language, Some(Language::Spanish));
        assert_eq!(read("English, please", &staff()).wants_language, Some(Language::English));
    }
}
