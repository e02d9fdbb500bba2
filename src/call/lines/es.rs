//! Everything the assistant can say, in Spanish: the same lines as the English ones, written
//! for a Spanish speaker (usted, the way an office in New York would say it), not translated
//! word by word. Numbers are said digit by digit in words, in the groups a listener writes
//! them down in; times in words ("a las nueve de la mañana").

use chrono::{DateTime, NaiveTime};
use chrono_tz::Tz;

use super::{common_area, lines, quote};
use crate::call::reading::{Hazard, Topic};
use crate::call::summary::es::to_usted;
use crate::call::{Caller, Field, Note, Request};
use crate::knowledge::{Property, Unit};
use crate::office::{Office, hours};
use crate::phone::Phone;

/// A phone number as a listener writes it down: each digit a word, in the three groups of a
/// US number ("siete uno ocho, cinco cinco cinco, cero uno cero uno").
pub fn phone(phone: &Phone) -> String {
    const DIGITS: [&str; 10] =
        ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"];
    let digits: Vec<&str> = phone
        .e164()
        .trim_start_matches("+1")
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]))
        .collect();
    if digits.len() != 10 {
        return digits.join(" ");
    }
    format!("{}, {}, {}", digits[..3].join(" "), digits[3..6].join(" "), digits[6..].join(" "))
}

pub fn time(t: NaiveTime) -> String {
    hours::spoken_time_es(t, true)
}

pub fn when(at: DateTime<Tz>, now: DateTime<Tz>) -> String {
    hours::spoken_when_es(at, now)
}

pub fn week(office: &Office) -> String {
    office.hours.spoken_week_es()
}

/// The opening once the caller chose Spanish (or spoke it first).
pub fn greeting(office: &Office, caller: &Caller) -> Vec<String> {
    let me = &office.assistant_name;
    match caller.first_name() {
        Some(name) => vec![
            format!("¡Hola, {name}! Con gusto le atiendo en español. Soy {me}. ¿En qué le puedo ayudar?"),
            format!("Claro que sí, {name}, seguimos en español. ¿Qué necesita?"),
        ],
        None => vec![
            format!("¡Claro! Con gusto le atiendo en español. Soy {me}. ¿En qué le puedo ayudar?"),
            "Perfecto, seguimos en español. ¿Qué se le ofrece?".into(),
        ],
    }
}

pub fn anything_else() -> Vec<String> {
    lines([
        "¿Hay algo más en que le pueda ayudar?",
        "¿Necesita algo más?",
        "¿Le puedo ayudar con otra cosa?",
        "¿Alguna otra cosa que necesite hoy?",
    ])
}

pub fn hours(now: &str, week: &str) -> Vec<String> {
    vec![
        format!("{now} Nuestro horario, en hora del Este, es {week}."),
        format!("{now} Atendemos en la oficina {week}, hora del Este."),
        format!("Nuestro horario normal es {week}, hora del Este. {now}"),
    ]
}

pub fn open_now(closes: &str) -> String {
    format!("Ahora mismo estamos abiertos, hasta {closes}.")
}

pub fn closed_now(opens: Option<&str>) -> String {
    match opens {
        Some(opens) => format!("Ahora mismo la oficina está cerrada; abrimos de nuevo {opens}."),
        None => "Ahora mismo la oficina está cerrada.".into(),
    }
}

pub fn address(office: &Office) -> Vec<String> {
    let at = &office.address_spoken;
    vec![
        format!("La oficina queda en {at}. Se lo repito despacio: {at}."),
        format!("Estamos en {at}."),
        format!("Nuestra dirección es {at}."),
    ]
}

pub fn hello() -> Vec<String> {
    lines([
        "¡Hola! ¿En qué le puedo ayudar?",
        "¡Buenas! Dígame, ¿qué necesita?",
        "Hola, aquí estoy. ¿Qué se le ofrece?",
    ])
}

pub fn welcome() -> Vec<String> {
    lines(["¡Con mucho gusto!", "¡Para servirle!", "¡No hay de qué!", "¡A la orden!"])
}

pub fn no_problem() -> Vec<String> {
    lines(["Está bien, no hay problema.", "De acuerdo.", "Muy bien.", "Entendido."])
}

pub fn goodbye() -> Vec<String> {
    lines([
        "Gracias por llamar. ¡Que tenga un buen día!",
        "Cuídese mucho, y gracias por llamar.",
        "Hasta luego, ¡que le vaya bien!",
    ])
}

pub fn didnt_catch() -> Vec<String> {
    lines([
        "Perdone, no le entendí bien. ¿Me lo puede repetir?",
        "Disculpe, la línea no se oyó clara. ¿Qué me dijo?",
        "¿Me lo repite, un poquito más despacio, por favor?",
        "Perdón, ¿una vez más, por favor?",
    ])
}

pub fn still_there() -> Vec<String> {
    lines([
        "¿Sigue ahí? ¿En qué le puedo ayudar?",
        "Aquí sigo, cuando usted esté listo. ¿Qué necesita?",
        "¿Aló? Sigo en la línea por si necesita algo.",
    ])
}

pub fn offer_transfer(office: &Office) -> Vec<String> {
    let staff = super::staff_names(office);
    vec![
        "Si le resulta más fácil, le puedo comunicar con alguien de la oficina. ¿Le gustaría?".into(),
        format!("También le puedo pasar con {staff}. ¿Lo hago?"),
        "¿Quiere que le comunique con una persona de la oficina?".into(),
    ]
}

pub fn offer_message() -> Vec<String> {
    lines([
        "Puedo tomarle un mensaje para el equipo. ¿Quiere dejar uno?",
        "¿Le gustaría dejarle un mensaje al personal de la oficina?",
        "Con gusto le paso un mensaje al equipo. ¿Quiere dejarlo?",
    ])
}

pub fn silent_goodbye() -> Vec<String> {
    lines([
        "No le escucho, así que voy a colgar. Llámenos cuando guste. ¡Hasta luego!",
        "Parece que la línea está en silencio, así que voy a terminar la llamada. Vuelva a llamar cuando quiera.",
    ])
}

pub fn what_i_do(office: &Office) -> Vec<String> {
    let staff = super::staff_names(office);
    vec![
        format!(
            "Puedo tomar solicitudes de mantenimiento, darle nuestro horario y dirección, o comunicarle con {staff}. ¿Quiere que le comunique con alguien?"
        ),
        "No estoy segura de poder ayudarle con eso, pero alguien de la oficina sí. ¿Le comunico?".into(),
        "Esa pregunta es para el equipo de la oficina. ¿Quiere que le pase con ellos?".into(),
    ]
}

pub fn leasing(office: &Office) -> Vec<String> {
    let staff = super::staff_names(office);
    vec![
        "¡Con gusto le ayudamos a encontrar apartamento! El equipo de la oficina le puede decir qué hay disponible y programar una visita. ¿Le comunico?".into(),
        format!("{staff} le puede decir qué hay disponible y programar una visita. ¿Quiere que le pase?"),
    ]
}

/// The office wrote its policies in English: said as written, and said to be so.
pub fn policy(text: &str) -> Vec<String> {
    let text = text.trim();
    vec![
        format!("La oficina lo tiene por escrito en inglés; se lo leo tal cual: {text}"),
        format!("Esto es lo que dice la oficina, en inglés: {text}"),
    ]
}

pub fn dont_have(topic: Topic, offer: &str) -> Vec<String> {
    let about = topic_es(topic);
    vec![
        format!("No tengo a mano los detalles sobre {about}. {offer}"),
        format!("Lo siento, aquí no tengo información sobre {about}. {offer}"),
    ]
}

fn topic_es(topic: Topic) -> &'static str {
    match topic {
        Topic::RentPayment => "cómo pagar la renta",
        Topic::LateFees => "los cargos por pago atrasado",
        Topic::Pets => "las mascotas",
        Topic::Parking => "el estacionamiento",
        Topic::Laundry => "la lavandería",
        Topic::Trash => "la basura y el reciclaje",
        Topic::Packages => "los paquetes",
        Topic::QuietHours => "las horas de silencio",
        Topic::MoveInOut => "las mudanzas",
        Topic::Amenities => "los servicios del edificio",
        Topic::Applying => "cómo solicitar un apartamento",
    }
}

pub fn offer_person_or_message(open: bool) -> String {
    if open {
        "Le puedo comunicar con alguien de la oficina que sí lo sabe. ¿Le gustaría?".into()
    } else {
        "Le puedo tomar un mensaje y el equipo de la oficina le devolverá la llamada. ¿Quiere dejar uno?"
            .into()
    }
}

pub fn available(units: &[(&Property, &Unit)]) -> Vec<String> {
    let list = listed(units);
    vec![
        format!("Ahora mismo tenemos {list}. ¿Le gustaría pedir una visita?"),
        format!("Tenemos disponible {list}. ¿Quiere que le programe una visita?"),
    ]
}

pub fn available_sized(
    bedrooms: u32,
    matching: &[(&Property, &Unit)],
    all: &[(&Property, &Unit)],
) -> Vec<String> {
    if !matching.is_empty() {
        let list = listed(matching);
        return vec![
            format!("¡Sí! Tenemos {list}. ¿Le gustaría pedir una visita?"),
            format!("Sí, hay {list}. ¿Quiere que le programe una visita?"),
        ];
    }
    let list = listed(all);
    let size = size(bedrooms);
    vec![
        format!("Ahora mismo no tenemos {size} disponible. Tenemos {list}. ¿Le gustaría pedir una visita?"),
        format!(
            "En este momento no hay {size} libre, pero tenemos {list}. ¿Quiere que le programe una visita?"
        ),
    ]
}

pub fn unit_named(property: &Property, unit: &Unit) -> String {
    format!("{} en {}", size(unit.bedrooms), property.name)
}

fn size(bedrooms: u32) -> String {
    match bedrooms {
        0 => "un estudio".into(),
        1 => "un apartamento de una habitación".into(),
        n => format!("un apartamento de {} habitaciones", number(n)),
    }
}

fn number(n: u32) -> String {
    const SMALL: [&str; 11] =
        ["cero", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"];
    SMALL.get(n as usize).map_or_else(|| n.to_string(), |w| w.to_string())
}

fn listed(units: &[(&Property, &Unit)]) -> String {
    let described: Vec<String> = units
        .iter()
        .take(3)
        .map(|(property, unit)| {
            format!("{} en {} por {} dólares al mes", size(unit.bedrooms), property.name, unit.rent)
        })
        .collect();
    match described.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} y {last}", init.join(", ")),
        [] => String::new(),
    }
}

pub fn ask_showing(unit: bool, when: bool, name: bool, number: bool) -> Vec<String> {
    let wanted: Vec<&str> = [
        (unit, "qué apartamento le gustaría ver"),
        (when, "qué día y hora le conviene"),
        (name, "su nombre"),
        (number, "el mejor número para llamarle"),
    ]
    .iter()
    .filter_map(|(missing, what)| missing.then_some(*what))
    .collect();
    let list = match wanted.as_slice() {
        [] => "cualquier otra cosa que deba saber el equipo".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} y {last}", init.join(", ")),
    };
    vec![
        format!("¡Muy bien! Dígame, por favor, {list}."),
        format!("Perfecto. Indíqueme {list}, por favor."),
        format!("Claro. Solo dígame {list}."),
    ]
}

pub fn showing_read_back(note: &Note) -> Vec<String> {
    let mut parts =
        vec![note.unit.clone().unwrap_or_else(|| "uno de nuestros apartamentos disponibles".into())];
    parts.extend(note.when.clone());
    parts.extend(note.gist.clone());
    if let Some(name) = &note.from {
        parts.push(format!("a nombre de {name}"));
    }
    if let Some(number) = &note.callback {
        parts.push(format!("al {}", phone(number)));
    }
    let request = parts.join(", ");
    vec![
        format!("Tengo una solicitud de visita para {request}. ¿Se la envío al equipo de alquileres?"),
        format!("Es una visita para {request}. ¿Es correcto?"),
        format!("Entonces, una visita para {request}. ¿La envío?"),
    ]
}

pub fn showing_taken(reference: Option<&str>) -> Vec<String> {
    with_reference(
        reference,
        [
            ("Listo. El equipo de alquileres le llamará para confirmar la hora.", "¡Gracias por llamar!"),
            (
                "¡Anotado! Alguien de la oficina se comunicará con usted para confirmar la visita.",
                "¡Que tenga un buen día!",
            ),
        ],
    )
}

/// Closing lines with the call's reference said between what was done and the goodbye.
fn with_reference<const N: usize>(reference: Option<&str>, variants: [(&str, &str); N]) -> Vec<String> {
    variants
        .iter()
        .map(|(done, bye)| match reference {
            Some(spoken) => format!("{done} Su número de referencia es {spoken}. {bye}"),
            None => format!("{done} {bye}"),
        })
        .collect()
}

/// The call's reference, read digit by digit (the Spanish voice says each digit in Spanish).
pub fn your_reference(spoken: &str) -> Vec<String> {
    vec![
        format!("Su número de referencia es {spoken}."),
        format!("El número de referencia para eso es {spoken}."),
        format!("Queda bajo la referencia {spoken}."),
    ]
}

/// An earlier call found by the reference the caller said.
pub fn found_reference(spoken: &str) -> Vec<String> {
    vec![
        format!(
            "¡Gracias! Encontré su llamada anterior, referencia {spoken}, y la uní con esta. ¿En qué le puedo ayudar?"
        ),
        format!("Muy bien, referencia {spoken}. Ya agregué esta llamada a ella. ¿Qué necesita?"),
    ]
}

pub fn ours(property: &Property) -> Vec<String> {
    vec![format!("Entendido, {}.", property.name), format!("Muy bien, es {}.", property.name)]
}

pub fn not_ours() -> Vec<String> {
    lines([
        "Esa dirección no es de uno de nuestros edificios, así que no puedo tomar una solicitud para ella. ¿Quiere que le comunique con la oficina?",
        "Lo siento, esa dirección no es de los edificios que administramos. ¿Le paso con la oficina?",
    ])
}

pub fn ask(field: Field, caller: &Caller) -> Vec<String> {
    match field {
        Field::Problem => lines([
            "Con gusto le ayudo. ¿Qué está pasando?",
            "Claro. Cuénteme cuál es el problema.",
            "Muy bien. ¿Qué hay que arreglar?",
        ]),
        Field::Address => lines([
            "¿Cuál es la dirección del apartamento?",
            "¿En qué edificio es? Dígame la dirección, por favor.",
        ]),
        Field::Location => lines([
            "Entendido. ¿En qué parte de la casa es?",
            "¿En qué cuarto está eso?",
            "¿Y en qué parte del apartamento es?",
        ]),
        Field::Entry => lines([
            "Si usted no está en casa, ¿puede entrar nuestro equipo de mantenimiento a arreglarlo?",
            "¿Nos da permiso para entrar si no hay nadie en casa?",
            "¿Está bien que mantenimiento entre cuando usted no esté?",
        ]),
        Field::Callback => match &caller.phone {
            Some(number) => {
                let number = phone(number);
                vec![
                    format!("¿El {number} es el mejor número para llamarle?"),
                    format!("¿Le devolvemos la llamada al {number}?"),
                    format!("¿El equipo le puede llamar al {number}?"),
                ]
            }
            None => ask(Field::CallbackNumber, caller),
        },
        Field::CallbackNumber => lines([
            "¿Cuál es el mejor número para llamarle? Empiece por el código de área, por favor.",
            "¿A qué número le llama el equipo? Primero el código de área, por favor.",
            "Dígame los diez dígitos de su número, por favor.",
        ]),
    }
}

pub fn yes_or_no() -> Vec<String> {
    lines(["Perdone, ¿eso fue un sí o un no?", "Con un sí o un no me basta.", "¿Lo tomo como un sí?"])
}

/// The request in a few words: the problem, where, the access answer and note, the number.
pub fn read_back(request: &Request) -> Vec<String> {
    let problem = request
        .summary
        .clone()
        .or_else(|| request.problem.as_deref().map(crate::call::summary::es::problem))
        .unwrap_or_default();
    let location = match request.location.as_deref() {
        Some(location) if !problem.to_lowercase().contains(&location.to_lowercase()) => {
            format!(", en {}", place(location))
        }
        _ => String::new(),
    };
    let entry = match (request.entry, common_area(request.location.as_deref())) {
        (_, true) => "",
        (Some(true), _) => " Mantenimiento puede entrar si usted no está.",
        _ => " Mantenimiento solo entrará cuando usted esté en casa.",
    };
    let access = match &request.access {
        Some(note) => format!(" Nota para el equipo: {}.", to_usted(&quote(note))),
        None => String::new(),
    };
    let callback = match &request.callback {
        Some(number) => format!(" Le llamaremos al {}.", phone(number)),
        None => String::new(),
    };
    let all = format!("{problem}{location}.{entry}{access}{callback}");
    vec![
        format!("Se lo leo para confirmar: {all} ¿Está todo bien?"),
        format!("Esto es lo que tengo: {all} ¿Es correcto?"),
        format!("Entonces: {all} ¿Está bien así?"),
        format!("Ahora tengo: {all} ¿Es correcto?"),
        format!("A ver si lo tengo bien: {all} ¿Correcto?"),
    ]
}

/// A place as the caller said it, with an article when they gave none ("baño": "el baño").
fn place(location: &str) -> String {
    let location = quote(location);
    let lower = location.to_lowercase();
    let has_article =
        ["el ", "la ", "los ", "las ", "mi ", "su ", "un ", "una "].iter().any(|a| lower.starts_with(a));
    if has_article {
        return to_usted(&location);
    }
    let feminine = lower.ends_with('a') || lower.ends_with("ión") || lower.ends_with("ion");
    format!("{} {location}", if feminine { "la" } else { "el" })
}

/// A corrected detail, as `corrected` says it.
pub fn fixed_place(location: &str) -> String {
    place(location)
}

pub fn fixed_entry(entry: bool) -> String {
    if entry { "mantenimiento puede entrar si usted no está" } else { "solo cuando usted esté en casa" }
        .into()
}

pub fn fixed_note(access: &str) -> String {
    format!("la nota: {}", to_usted(access))
}

pub fn corrected(what: &str) -> Vec<String> {
    vec![
        format!("Entendido, {what}."),
        format!("Gracias, ya lo cambié: {what}."),
        format!("Muy bien, {what} entonces."),
        format!("De acuerdo, {what}."),
    ]
}

pub fn what_to_fix() -> Vec<String> {
    lines([
        "Disculpe. ¿Qué debo cambiar?", "Está bien, ¿qué anoté mal?", "No hay problema. ¿Qué parte corrijo?",
    ])
}

pub fn queued() -> Vec<String> {
    lines([
        "Entendido, esa la tomo justo después de esta.",
        "Muy bien, esa la anoto aparte enseguida.",
        "Anotado, esa va después.",
    ])
}

pub fn next_request(summary: &str) -> Vec<String> {
    vec![
        format!("Ahora, sobre {summary}."),
        format!("Lo siguiente: {summary}."),
        format!("Y ahora, {summary}."),
    ]
}

pub fn which_unit() -> Vec<String> {
    lines([
        "Una cosa más antes de enviarlo: ¿en qué apartamento vive?",
        "Antes de enviarlo, ¿me dice el número de su apartamento?",
    ])
}

pub fn entry_waits_for_staff() -> Vec<String> {
    lines([
        "Antes de que alguien entre, la oficina lo confirmará con usted.",
        "El equipo hablará con usted antes de que nadie entre.",
    ])
}

pub fn filed() -> Vec<String> {
    lines([
        "¡Gracias! Su solicitud de mantenimiento ya está hecha, y el equipo se comunicará con usted.",
        "Listo, su solicitud ya está con nuestro equipo de mantenimiento.",
        "Esa también quedó registrada, y el equipo le dará seguimiento.",
        "Hecho, esa solicitud también está con nuestro equipo de mantenimiento.",
    ])
}

pub fn connecting(staff: Option<&str>) -> Vec<String> {
    match staff {
        Some(name) => vec![
            format!("¡Claro! Le comunico con la oficina para que hable con {name}. Un momento, por favor."),
            format!("Le paso con la oficina para hablar con {name}. Un momentito."),
        ],
        None => lines([
            "Claro, le comunico con la oficina ahora. Un momento, por favor.",
            "Muy bien, le paso con la oficina. No cuelgue, por favor.",
        ]),
    }
}

pub fn after_hours(closed: &str) -> Vec<String> {
    vec![
        format!("{closed} Le puedo tomar un mensaje para el equipo. ¿Quiere dejar uno?"),
        format!("{closed} ¿Le gustaría dejarle un mensaje al personal de la oficina?"),
    ]
}

/// What to do right now, 911 first: said before anyone is called.
pub fn life_safety(hazard: Hazard) -> Option<Vec<String>> {
    let line = match hazard {
        Hazard::Gas => {
            "Si huele a gas, salga del edificio ahora mismo. No toque los interruptores de luz ni prenda fuego, y llame al 911 en cuanto esté afuera."
        }
        Hazard::CarbonMonoxide => "Por favor, saque a todos al aire libre ahora mismo y llame al 911.",
        Hazard::Fire | Hazard::Smoke => "Por favor, salgan todos del edificio ahora mismo y llame al 911.",
        Hazard::Electrical => {
            "Por favor, aléjese y no toque nada cerca de eso. Si ve humo o llamas, salga y llame al 911."
        }
        Hazard::StructuralCollapse => {
            "Por favor, aleje a todos de esa zona ahora mismo, y llame al 911 si hay alguien herido o si todavía se está moviendo."
        }
        Hazard::ElevatorEntrapment => {
            "Por favor, mantenga la calma y quédese dentro del ascensor; no intente salir trepando. Oprima el botón de alarma, y llame al 911 si alguien está herido o se siente mal."
        }
        _ => return None,
    };
    Some(vec![line.into(), format!("Lo primero es su seguridad. {line}")])
}

pub fn check_hazard(hazard: Hazard) -> Vec<String> {
    let what = match hazard {
        Hazard::Gas => "que huele a gas",
        Hazard::CarbonMonoxide => "que hay monóxido de carbono",
        Hazard::Fire => "que hay un incendio",
        Hazard::Smoke => "que hay humo",
        Hazard::Electrical => "que hay chispas o cables pelados",
        Hazard::StructuralCollapse => "que algo se está derrumbando",
        Hazard::ElevatorEntrapment => "que hay alguien atrapado en el ascensor",
        Hazard::Flooding => "que hay una inundación",
        Hazard::Sewage => "que se están devolviendo las aguas negras",
        Hazard::NoWater => "que no tiene agua",
        Hazard::NoHeat => "que no tiene calefacción",
        Hazard::BlockedExit => "que el hielo o la nieve le bloquean la salida",
        Hazard::NoHotWater => "que no tiene agua caliente",
        Hazard::EntryDoor => "que la puerta de entrada del edificio está rota",
        Hazard::UnsecuredUnit => "que no puede cerrar su casa con llave",
        Hazard::LockoutAtRisk => "que se quedó afuera con alguien en peligro adentro",
        Hazard::Lockout => "que se quedó afuera sin llaves",
        Hazard::NoAirConditioning => "que no le funciona el aire acondicionado",
        Hazard::CloggedToilet => "que el inodoro está tapado",
    };
    vec![
        format!("Perdone, la línea no se oye bien. ¿Me dijo {what}?"),
        format!("Quiero estar segura de haberle entendido. ¿Dijo {what}?"),
    ]
}

pub fn misheard() -> Vec<String> {
    lines(["Está bien, perdone, le entendí mal.", "De acuerdo, gracias por aclararlo."])
}

pub fn emergency_connecting(evacuate: bool) -> Vec<String> {
    if evacuate {
        return lines([
            "Le estoy comunicando ahora con nuestro equipo de guardia. Si todavía está adentro, salga primero y llame al 911 desde afuera.",
            "Estoy llamando ahora mismo a nuestro equipo de guardia. Si sigue adentro, salga primero y llame al 911 en cuanto esté afuera.",
        ]);
    }
    lines([
        "Esto es una emergencia, así que le comunico ahora mismo con nuestro equipo de guardia. Por favor, no cuelgue.",
        "Voy a tratar esto como una emergencia y estoy llamando a nuestro equipo de guardia. Por favor, espere en la línea.",
    ])
}

pub fn on_call_again(evacuate: bool) -> Vec<String> {
    if evacuate {
        return lines([
            "Voy a intentar de nuevo con la línea de guardia. Si todavía está adentro, salga primero y llame al 911.",
            "Llamo otra vez al equipo de guardia. Asegúrese de estar afuera, y llame al 911 si todavía no lo ha hecho.",
        ]);
    }
    lines([
        "Voy a intentar de nuevo con la línea de guardia. Por favor, no cuelgue.",
        "Llamo otra vez al equipo de guardia. Espere en la línea, por favor.",
    ])
}

pub fn emergency_goodbye(texting: bool) -> Vec<String> {
    let what = if texting {
        "El equipo de guardia ya tiene su emergencia por mensaje de texto y le devolverá la llamada"
    } else {
        "Su emergencia está primera en la lista de la oficina, marcada como urgente, para el primer empleado que la revise"
    };
    vec![
        format!("{what}. Si alguien está en peligro, llame al 911. Adiós."),
        format!("{what}. Por favor, llame al 911 si alguien está en peligro. Cuídese."),
    ]
}

pub fn transfer_done() -> Vec<String> {
    lines(["Gracias por llamar. ¡Adiós!", "Gracias por llamar, ¡cuídese!"])
}

pub fn nobody_answered() -> Vec<String> {
    lines([
        "Lo siento, ahora mismo nadie pudo contestar. Le puedo tomar un mensaje para el equipo. Adelante, y diga su nombre y su número.",
        "No logré comunicarme con nadie en este momento. Dígame su mensaje, con su nombre y su número, y yo se lo paso.",
    ])
}

pub fn on_call_unreachable(texting: bool) -> Vec<String> {
    let what = if texting {
        "así que le estoy enviando su emergencia por texto al equipo de guardia, y queda primera en la lista de la oficina, marcada como urgente."
    } else {
        "y desde aquí no puedo enviar mensajes de texto, así que su emergencia queda primera en la lista de la oficina, marcada como urgente, para el primer empleado que la revise."
    };
    vec![
        format!(
            "No pude comunicarme por teléfono con la persona de guardia, {what} Si alguien está en peligro, cuelgue y llame al 911. ¿A qué número le devolvemos la llamada, y hay algo más que deban saber?"
        ),
        format!(
            "La línea de guardia no contestó, {what} Si alguien está en peligro, llame al 911. ¿Cómo le pueden localizar, y qué más deben saber?"
        ),
    ]
}

pub fn ask_follow_up() -> Vec<String> {
    lines([
        "¿Cuál es el mejor número para devolverle la llamada sobre la emergencia?",
        "¿Cómo le puede localizar el equipo? Un número de teléfono es lo mejor.",
    ])
}

pub fn follow_up_taken(texting: bool, callback: Option<&str>) -> Vec<String> {
    let number = callback.map(|n| format!(", con su número, {n}")).unwrap_or_default();
    let what = if texting {
        format!("Eso también se lo envío por texto al equipo de guardia{number}.")
    } else {
        format!("Ya lo agregué a su emergencia, primera en la lista de la oficina{number}.")
    };
    vec![
        format!("Gracias. {what} Si alguien está en peligro, llame al 911."),
        format!("Entendido. {what} Por favor, llame al 911 si alguien está en peligro."),
    ]
}

pub fn ask_message(name: bool, number: bool) -> Vec<String> {
    let with = match (name, number) {
        (true, true) => ", y diga su nombre y su número",
        (true, false) => ", y diga su nombre",
        (false, true) => ", y diga su número",
        (false, false) => "",
    };
    vec![
        format!("Claro, adelante con su mensaje{with}."),
        format!("Muy bien, le escucho. Diga su mensaje{with}."),
        format!("Diga su mensaje ahora, por favor{with}."),
    ]
}

pub fn message_read_back(note: &Note) -> Vec<String> {
    let to = note.to.as_deref().unwrap_or("el equipo de la oficina");
    let from = note.from.as_ref().map(|name| format!(" de parte de {name}")).unwrap_or_default();
    let gist = note.gist.as_deref().map(to_usted).unwrap_or_default();
    let number = note.callback.as_ref().map(|p| format!(", al {}", phone(p))).unwrap_or_default();
    let message = format!("un mensaje para {to}{from}: {gist}{number}");
    vec![
        format!("Tengo {message}. ¿Se lo paso?"),
        format!("Entonces es {message}. ¿Es correcto?"),
        format!("Muy bien, {message}. ¿Lo envío?"),
    ]
}

pub fn message_kept() -> Vec<String> {
    lines([
        "Su mensaje quedó guardado para el personal de la oficina.",
        "Ya guardé su mensaje para el equipo.",
    ])
}

pub fn message_taken(reference: Option<&str>) -> Vec<String> {
    with_reference(
        reference,
        [
            ("Entendido. Le paso su mensaje al equipo.", "Gracias por llamar, ¡cuídese!"),
            ("Su mensaje quedó guardado para el personal de la oficina.", "¡Muchas gracias por llamar!"),
        ],
    )
}

/// After "English, please": the switch back, said in English (see `Lines::switched`).
pub fn switched() -> Vec<String> {
    lines([
        "Muy bien, seguimos en español. ¿En qué le puedo ayudar?",
        "Claro, continuamos en español. ¿Qué necesita?",
    ])
}

/// `lines::pick` with Spanish lead-ins once every variant was heard.
pub fn pick(said: &[String], variants: Vec<String>) -> String {
    let fresh = |line: &String| !said.contains(line);
    if let Some(line) = variants.iter().find(|l| fresh(l)) {
        return line.clone();
    }
    let leads = ["Una vez más: ", "Le repito: ", "Se lo digo otra vez: ", "Como le decía: "];
    let led = leads.iter().flat_map(|lead| variants.iter().map(move |v| format!("{lead}{v}")));
    if let Some(line) = led.clone().find(fresh) {
        return line;
    }
    let repeats = said.iter().filter(|s| s.ends_with(&variants[0])).count();
    format!("Se lo repito por {}.ª vez: {}", repeats + 1, variants[0])
}
