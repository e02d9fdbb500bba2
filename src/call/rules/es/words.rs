//! The Spanish rules' vocabulary: the words and phrases of each category, as `es` matches
//! them (lower case, no accents, no punctuation).

use crate::call::reading::Topic;

/// Things in a home or building that break, and the ways they do.
pub(super) const PROBLEM: &[&str] = &[
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
pub(super) const REPAIR: &[&str] = &[
    "mantenimiento", "reparacion", "reparaciones", "reparar", "arreglar", "arreglen", "arreglo",
    "orden de trabajo", "pedido de reparacion", "solicitud de mantenimiento", "que vengan a ver",
    "que alguien venga", "mandar a alguien", "manden a alguien", "mande a alguien", "que revisen", "revisar",
    "una llave nueva", "copia de la llave", "copia de mi llave", "otra llave", "work order",
];
pub(super) const URGENT: &[&str] = &[
    "gotea", "goteando", "fuga", "salidero", "gotera", "no hay agua caliente", "cerradura", "llavin",
    "inodoro", "toilet", "nevera", "refrigerador", "moho", "ascensor", "elevador", "me quede afuera",
    "perdi las llaves",
];
/// Asking for a person in so many words.
pub(super) const PERSON: &[&str] = &[
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
pub(super) const SOMEONE: &[&str] = &["alguien", "una persona", "persona", "el personal"];
/// Words that make a question about a thing a report that it is broken.
pub(super) const FAULT: &[&str] = &[
    "roto", "rota", "rotos", "rotas", "se rompio", "se dano", "danado", "danada", "gotea", "goteando",
    "fuga", "salidero", "no funciona", "no sirve", "no prende", "no enciende", "tapado", "tapada", "tupido",
    "atascado", "atascada", "trabado", "trabada", "pegado", "hace un ruido", "haciendo un ruido",
    "ruido raro", "ruido extrano", "cucarachas", "ratones", "chinches", "bichos", "se desbordo", "rebosando",
    "no cierra",
];
/// A question about a rule, a bill or the building, not a report of trouble.
pub(super) const QUESTION: &[&str] = &[
    "factura", "facturas", "cuenta de", "incluido", "incluida", "incluye", "permitido", "permiten",
    "se permite", "se puede tener", "puedo tener", "puedo usar", "podemos tener", "seguro de inquilino",
    "aseguranza", "inspeccion", "simulacro", "politica", "zona", "aviso", "a mi nombre", "es verdad",
    "quien paga", "pagar por", "renovar", "renovacion", "bill", "hay que tener", "tengo que tener",
    "es obligatorio", "necesito tener", "lo pago yo",
];
/// A question about what to do if something happened, however broken it sounds.
pub(super) const WHAT_IF: &[&str] = &[
    "a quien llamo si", "a quien llamo cuando", "que hago si", "que pasa si", "que debo hacer si",
    "en caso de que",
];
pub(super) const TOPICS: &[(Topic, &[&str])] = &[
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
pub(super) const LEASING: &[&str] = &[
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
pub(super) const HOURS_ASKED: &[&str] = &[
    "horario", "horarios", "horas de oficina", "que hora", "que horas", "hasta que hora", "hasta que horas",
    "desde que hora", "que tan tarde", "que tan temprano", "estan abiertos", "esta abierto", "esta abierta",
    "estan abiertas", "siguen abiertos", "pasar por", "paso por", "pasarme por", "cuando abren",
    "cuando cierran", "cuando puedo ir", "cuando puedo pasar", "hay alguien en la oficina", "atienden",
    "lo mas temprano",
];
pub(super) const HOURS: &[&str] = &[
    "abren", "abre", "abierto", "abierta", "abiertos", "cierran", "cerrado", "cerrada", "cerrados", "sabado",
    "sabados", "domingo", "domingos", "fin de semana", "feriado", "feriados", "dias festivos", "festivo",
];
/// Where to go, bring or send something: the office's address answers it.
pub(super) const WHERE: &[&str] = &["donde", "adonde", "en que calle", "direccion"];
pub(super) const WHERE_TO: &[&str] = &[
    "oficina", "ustedes", "quedan", "queda", "ubicados", "ubicada", "dejar", "dejo", "llevar", "llevo",
    "entregar", "entrego", "recoger", "recojo", "buscar", "busco", "mandar", "mando", "enviar", "envio",
    "firmar", "firmo", "devolver", "devuelvo", "ir", "voy", "tengo que ir",
];
pub(super) const ADDRESS: &[&str] = &[
    "direccion", "donde estan", "donde queda la oficina", "donde esta la oficina", "ubicados", "ubicacion",
    "como llego", "como llegar", "en que calle", "indicaciones",
];
/// Farewells that can look like something else ("llamo después" is not a transfer).
pub(super) const FAREWELL: &[&str] = &[
    "hasta luego", "nos vemos", "cuidese", "cuidate", "me tengo que ir", "tengo que irme", "llamo despues",
    "llamo luego", "llamo mas tarde", "luego llamo", "le llamo despues", "olvidelo", "olvidalo",
    "dejelo asi", "dejalo asi", "bye bye", "adios", "que le vaya bien", "que tenga buen dia",
    "que tenga un buen dia", "hasta pronto", "hasta manana",
];
pub(super) const GOODBYE: &[&str] = &[
    "chao", "chau", "bye", "eso es todo", "es todo", "seria todo", "eso seria todo", "eso era todo",
    "era todo", "nada mas", "ya esta", "estoy bien asi", "no necesito nada mas", "bendiciones",
    "que tenga buena tarde", "que tenga una buena tarde", "que tenga buenas noches",
];
/// A whole utterance that is a farewell only when said alone.
pub(super) const FAREWELL_ALONE: &[&str] = &["chao", "bye", "ciao", "listo"];
pub(super) const THANKS: &[&str] = &[
    "gracias", "muchas gracias", "mil gracias", "se lo agradezco", "le agradezco", "agradecido",
    "agradecida", "muy amable", "thank you", "thanks",
];
pub(super) const HELLO: &[&str] = &[
    "hola", "buenos dias", "buen dia", "buenas tardes", "buenas noches", "buenas", "alo", "oiga", "bueno",
    "hello", "hi", "saludos",
];
pub(super) const YES: &[&str] = &[
    "si", "claro", "claro que si", "correcto", "exacto", "exactamente", "eso es", "asi es", "dale", "ok",
    "okay", "okey", "esta bien", "de acuerdo", "por favor", "como no", "perfecto", "andale", "orale", "yes",
    "yeah", "pues si", "sip", "aja", "vale", "adelante", "puede entrar", "pueden entrar", "tiene permiso",
    "tienen permiso",
];
pub(super) const NO: &[&str] = &[
    "no", "nada", "negativo", "para nada", "incorrecto", "esta mal", "todavia no", "nop", "nel",
    "de ninguna manera", "mejor no", "nope",
];
pub(super) const THIS_NUMBER: &[&str] = &[
    "este numero", "este mismo numero", "el mismo numero", "este mismo", "el mismo", "este telefono",
    "este celular", "desde el que llamo", "del que llamo", "del que estoy llamando", "a este numero",
    "de donde estoy llamando", "el que estoy usando",
];
/// Where in the home, most specific first ("cuarto de lavado" before "cuarto").
pub(super) const ROOMS: &[&str] = &[
    "cuarto de lavado", "sala comedor", "cuarto principal", "habitacion principal", "recamara principal",
    "cocina", "bano", "banos", "sala", "comedor", "recamara", "dormitorio", "habitacion", "cuarto",
    "pasillo", "sotano", "closet", "balcon", "patio", "garaje", "lobby", "vestibulo", "escalera",
    "escaleras", "azotea", "lavanderia", "entrada",
];
/// Where one request ends and another begins, in a run-on sentence.
pub(super) const SEPARATORS: &[&str] = &[
    " y tambien ", " tambien ", " y ademas ", " ademas ", " y otra cosa ", " otra cosa ", " y luego ",
    " pero primero ", " y ", " pero ",
];

/// Words a speech model writes for the one a caller said, sound for sound ("ay humo" is
/// "hay humo", "un tuvo" is "un tubo"), put right before matching; word for word, so the
/// caller's own words still line up (`location`).
pub(super) const SOUNDALIKES: &[(&str, &str)] = &[
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

/// The Spanish words `rules::intent` and `rules::asides` read with.
pub(in crate::call::rules) const LEXICON: super::super::Lexicon = super::super::Lexicon {
    problem: PROBLEM,
    repair: REPAIR,
    person: PERSON,
    someone: SOMEONE,
    fault: FAULT,
    question: QUESTION,
    what_if: WHAT_IF,
    topics: TOPICS,
    leasing: LEASING,
    hours_asked: HOURS_ASKED,
    hours: HOURS,
    where_: WHERE,
    where_to: WHERE_TO,
    online: &["en linea", "por internet"],
    address: ADDRESS,
    farewell: FAREWELL,
    goodbye: GOODBYE,
    farewell_alone: FAREWELL_ALONE,
    thanks: THANKS,
    hello: HELLO,
    separators: SEPARATORS,
};
