//! Spanish: how callers say that something dangerous is happening, in the Spanish of New
//! York's Puerto Rican, Dominican and Mexican neighbours, Spanglish included ("el heat",
//! "el boiler", "el toilet"). Phrases are written without accents, since speech models write
//! them or not: the Spanish rules match them against the utterance without its accents.
//! No sign is English alone: English utterances are checked against this table too, and the
//! English words a Spanish speaker mixes in are the English table's to hear.
//!
//! As in English, a sign is heard when the utterance says one phrase of every group in `all`
//! and none of `unless`, which holds the near-misses: a detector asking for a battery, a gas
//! bill, a fire escape, paint falling from the ceiling.

use super::{Sign, Vocabulary};
use crate::call::reading::Hazard;

pub const SPANISH: Vocabulary = Vocabulary { signs: SIGNS, mentions: MENTIONS };

/// Talk about a danger that is not happening now: questions, paperwork, tests.
const NOT_NOW: &[&str] = &[
    "factura", "facturas", "cuenta del", "bill", "biles", "incluido", "incluida", "incluye", "seguro de",
    "aseguranza", "inspeccion", "simulacro", "a mi nombre", "quien paga", "a quien llamo si", "que hago si",
    "que pasa si", "que debo hacer si", "es verdad", "permitido", "se permite",
];
/// A detector asking for a battery, or tripped by cooking, rather than sounding an alarm.
const BATTERY: &[&str] = &[
    "bateria", "baterias", "pila", "pilas", "cada minuto", "cada rato", "cada ratito",
    "cada treinta segundos", "cada 30 segundos", "cada vez que", "cocino", "cocinando", "cocinar", "tostada",
    "tostadas", "se cayo", "colgando", "vencido", "vencida", "cambiar", "cambien", "prueba", "probando",
    "pitidito", "alarma del carro", "alarma del reloj",
];
/// An alarm or detector sounding.
const SOUNDING: &[&str] = &[
    "sonando", "suena", "sono", "no para de sonar", "no deja de sonar", "pitando", "pita", "chillando",
    "chilla", "se activo", "se disparo", "se prendio", "gritando", "timbrando", "no para", "no deja de",
    "no se calla", "no se apaga",
];
/// A heating system not heating.
const NOT_HEATING: &[&str] = &[
    "no funciona", "no sirve", "no prende", "no enciende", "no calienta", "no esta calentando", "se apago",
    "apagado", "apagada", "danado", "danada", "se dano", "roto", "rota", "se rompio", "frio", "frios",
    "fria", "frias", "helado", "helados", "no hay", "no tenemos", "no tengo", "no da calor", "no tira calor",
    "no sale calor", "no esta prendida", "no esta prendido", "sin", "no tiene", "no tienen",
];
/// Not working, for the systems whose failure the office's policy weighs.
const NOT_WORKING: &[&str] = &[
    "no funciona", "no sirve", "no prende", "no enciende", "se apago", "apagado", "danado", "danada",
    "se dano", "roto", "rota", "se rompio", "no enfria", "no esta enfriando", "no tira frio",
];

const SIGNS: &[Sign] = &[
    // Gas.
    Sign {
        hazard: Hazard::Gas,
        all: &[&[
            "huele a gas", "olor a gas", "olor de gas", "olor como a gas", "oliendo a gas", "peste a gas",
            "apesta a gas", "hiede a gas", "jiede a gas", "huele como a gas", "huele mucho a gas",
            "siento el gas", "se siente el gas", "siento olor a gas", "fuga de gas", "escape de gas",
            "salidero de gas", "se sale el gas", "se esta saliendo el gas", "sale gas", "saliendo gas",
            "gas saliendo", "se escapa el gas", "huevo podrido", "huevos podridos", "huele a huevo",
            "huele a azufre", "olor a azufre", "liqueo de gas",
        ]],
        unless: NOT_NOW,
    },
    // Gas, and a smell or a leak said anywhere in the same breath ("el gas de la estufa se
    // quedó abierto y huele fuertísimo").
    Sign {
        hazard: Hazard::Gas,
        all: &[
            &["gas"],
            &[
                "huele", "olor", "oliendo", "peste", "apesta", "hiede", "entrando", "saliendo", "se sale",
                "escapando", "se escapa", "se quedo abierto", "se quedo abierta", "dejaron abierto",
            ],
        ],
        unless: NOT_NOW,
    },
    Sign {
        hazard: Hazard::Gas,
        all: &[&["detector de gas", "alarma de gas", "alarma del gas", "detector del gas"], SOUNDING],
        unless: BATTERY,
    },
    // Carbon monoxide: the detector, the word, and the symptoms.
    Sign {
        hazard: Hazard::CarbonMonoxide,
        all: &[&[
            "monoxido", "monoxido de carbono", "detector de co", "alarma de co", "detector de c o",
            "alarma de c o",
        ]],
        unless: &[
            "bateria", "baterias", "pila", "pilas", "pitidito", "vencido", "instalar", "cambiar", "poner un",
            "necesito un", "no tengo", "no hay detector", "inspeccion", "seguro de", "aseguranza", "falta",
        ],
    },
    Sign {
        hazard: Hazard::CarbonMonoxide,
        all: &[
            &[
                "dolor de cabeza", "mareados", "mareado", "mareada", "mareadas", "mareo", "mareos",
                "nauseas", "vomitando", "vomitos", "nos sentimos mal", "se sienten mal", "desmayo",
                "se desmayo", "desmayado", "desmayada", "sonolientos",
            ],
            &[
                "todos", "toda la familia", "los ninos", "los nenes", "mis hijos", "la familia",
                "calentador", "calefaccion", "boiler", "caldera", "estufa", "heater",
                "dentro del apartamento", "en el apartamento", "toda la noche", "los dos", "los tres",
            ],
        ],
        unless: NOT_NOW,
    },
    // Fire: fuego, incendio, llamas, and the Caribbean "candela".
    Sign {
        hazard: Hazard::Fire,
        all: &[&[
            "fuego", "incendio", "se incendio", "se esta incendiando", "incendiando", "en llamas", "llamas",
            "llamaradas", "candela", "cogio candela", "se esta quemando", "esta ardiendo", "ardiendo",
            "quemandose", "algo se quema", "algo quemandose", "huele a quemado", "olor a quemado",
        ]],
        unless: &[
            "escalera de incendio", "escalera de incendios", "escaleras de incendio", "salida de incendio",
            "salida de incendios", "extintor", "extinguidor", "simulacro", "inspeccion", "seguro de",
            "aseguranza", "prueba", "bateria", "pila", "pilas", "puerta contra incendios", "comida", "arroz",
            "tostada",
        ],
    },
    // Smoke, and smoke detectors or alarms sounding (not chirping).
    Sign {
        hazard: Hazard::Smoke,
        all: &[&["humo", "humareda", "humeando", "echando humo", "sale humo", "humo negro"]],
        unless: &[
            "detector", "detectores", "alarma", "alarmas", "fumar", "fuma", "fuman", "fumando", "fumador",
            "cigarrillo", "cigarrillos", "cigarro", "cigarros", "libre de humo", "no fumar", "se permite",
            "permitido", "politica", "marihuana", "hookah", "vapear", "humo no sale",
            "humo de la cocina no sale", "cuando cocino", "cuando cocinamos", "al cocinar",
        ],
    },
    Sign {
        hazard: Hazard::Smoke,
        all: &[
            &[
                "detector de humo", "detectores de humo", "alarma de humo", "alarmas de humo",
                "alarma de incendio", "alarma de incendios", "alarmas", "la alarma", "el detector",
            ],
            SOUNDING,
        ],
        unless: BATTERY,
    },
    // Electrical: sparks, bare or hanging wires, shocks, a melted or scorched outlet.
    Sign {
        hazard: Hazard::Electrical,
        all: &[&[
            "chispas", "chispa", "chispea", "chispeando", "chisporrotea", "chisporroteando", "chispazo",
            "chispazos", "cable pelado", "cables pelados", "cable expuesto", "cables expuestos",
            "cables sueltos", "cable suelto", "alambre pelado", "alambres pelados", "cable colgando",
            "cables colgando", "cables al aire", "me dio corriente", "corrientazo", "me electrocute",
            "electrocutado", "electrocutada", "me dio un choque", "me dio toque", "toque electrico",
            "descarga electrica",
        ]],
        unless: &["bujia", "bujias"],
    },
    Sign {
        hazard: Hazard::Electrical,
        all: &[
            &[
                "derretido", "derretida", "se derritio", "quemado", "quemada", "chamuscado", "negro",
                "caliente",
            ],
            &[
                "enchufe", "enchufes", "tomacorriente", "toma corriente", "interruptor", "suiche", "switch",
                "cable", "cables", "panel", "breaker", "breakers", "caja de fusibles", "extension", "plug",
            ],
        ],
        unless: &["bombillo", "bombilla", "foco"],
    },
    // A broken pipe, wherever it is.
    Sign {
        hazard: Hazard::Flooding,
        all: &[
            &["tubo", "tubos", "tuberia", "tuberias", "caneria"],
            &[
                "se rompio", "roto", "rota", "se revento", "reventado", "reventada", "se partio", "partido",
                "partida",
            ],
        ],
        unless: NOT_NOW,
    },
    // Water in the wiring.
    Sign {
        hazard: Hazard::Electrical,
        all: &[
            &["agua", "mojado", "mojada", "mojados", "gotea", "goteando", "chorreando"],
            &[
                "enchufe", "enchufes", "tomacorriente", "toma corriente", "panel", "breaker", "breakers",
                "caja de breakers", "caja de fusibles",
            ],
        ],
        unless: NOT_NOW,
    },
    // Structural danger of any kind; "se cayó" is often written "se calló".
    Sign {
        hazard: Hazard::StructuralCollapse,
        all: &[
            &[
                "se cayo", "se callo", "se cae", "se esta cayendo", "se va a caer", "cayendose",
                "se derrumbo", "derrumbe", "derrumbando", "se esta derrumbando", "colapso", "colapsando",
                "se hundio", "se hunde", "se esta hundiendo", "hundiendo", "cediendo", "se vino abajo",
                "se desplomo", "se esta separando", "despegando de la pared", "se abrio un hueco",
                "se esta abriendo", "pandeado", "pandeando", "abombado", "rompio el techo",
                "atraveso el techo",
            ],
            &[
                "techo", "plafon", "cielo raso", "pared", "paredes", "piso", "suelo", "escalera",
                "escaleras", "escalones", "balcon", "porche", "terraza", "edificio", "cimientos", "viga",
                "arbol", "escalera de incendios", "yeso",
            ],
        ],
        unless: &[
            "pintura", "bombillo", "lampara", "abanico", "ventilador", "detector", "cortina", "persiana",
            "persianas", "gabinete", "factura", "inspeccion", "seguro de", "aseguranza", "losetas", "losa",
            "azulejos", "baldosas",
        ],
    },
    // Someone trapped in an elevator.
    Sign {
        hazard: Hazard::ElevatorEntrapment,
        all: &[
            &["ascensor", "elevador"],
            &[
                "atrapado", "atrapada", "atrapados", "atrapadas", "atascado", "atascada", "trancado",
                "trancada", "trabado", "trabada", "pegado", "encerrado", "encerrada", "encerrados",
                "entre pisos", "entre dos pisos", "con gente adentro", "con gente dentro", "alguien adentro",
                "no abren las puertas", "no se abren las puertas", "no puede salir", "no pueden salir",
                "no podemos salir", "no puedo salir", "se tranco", "se trabo", "se atasco", "se pego",
                "se quedo parado", "se quedo pegado", "esta adentro", "estan adentro", "quedo adentro",
                "quedaron adentro",
            ],
        ],
        unless: &[
            "a quien llamo si", "que hago si", "que pasa si", "si el ascensor", "si el elevador",
            "si se queda",
        ],
    },
    // Water pouring in, through ceilings or fixtures.
    Sign {
        hazard: Hazard::Flooding,
        all: &[&[
            "inundacion", "inundado", "inundada", "se inundo", "se me inundo", "inundo", "inundaron",
            "se esta inundando", "inundando", "hasta los tobillos", "a los tobillos", "hasta las rodillas",
            "se revento", "reventado", "reventada", "tubo roto", "se rompio un tubo", "se rompio el tubo",
            "se rompio la tuberia", "tuberia rota", "agua por todos lados", "agua por todas partes",
            "agua por todo el piso", "todo lleno de agua", "lleno de agua", "llena de agua",
            "pulgadas de agua", "bajo agua", "charco enorme", "pie de agua", "pies de agua",
            "se esta mojando todo", "se mojo todo", "todo mojado",
        ]],
        unless: &["zona", "seguro de", "aseguranza", "reflector"],
    },
    Sign {
        hazard: Hazard::Flooding,
        all: &[
            &["techo", "plafon", "lampara", "la luz del techo", "cielo raso", "rufo"],
            &[
                "agua", "gotera", "goteras", "gotea", "goteando", "chorreando", "chorrea", "cayendo agua",
                "cae agua", "se mete el agua", "filtrando", "se filtra", "salidero", "lloviendo", "llueve",
                "fuga", "liquea", "liqueando",
            ],
        ],
        unless: &[
            "mancha", "manchas", "manchado", "gotita", "gotitas", "unas gotas", "poquito", "un poco",
            "poquita", "abanico", "ventilador", "humedad",
        ],
    },
    Sign {
        hazard: Hazard::Flooding,
        all: &[
            &[
                "se desbordo", "desbordando", "se esta desbordando", "se reboso", "rebosando", "a chorros",
                "chorro de agua", "no para de salir agua", "no deja de salir agua", "se esta botando",
                "botando agua",
            ],
            &[
                "agua", "tubo", "tuberia", "tina", "banera", "inodoro", "toilet", "calentador", "fregadero",
                "lavamanos", "tanque", "lavadora", "pila",
            ],
        ],
        unless: &[],
    },
    // Sewage.
    Sign {
        hazard: Hazard::Sewage,
        all: &[&[
            "aguas negras", "aguas residuales", "aguas servidas", "agua de la cloaca", "cloaca", "caca",
            "excremento", "popo", "heces",
        ]],
        unless: &["factura", "perro", "perros", "mascota"],
    },
    Sign {
        hazard: Hazard::Sewage,
        all: &[
            &[
                "inodoro", "toilet", "taza", "desague", "desagues", "drenaje", "tina", "banera", "ducha",
                "sotano",
            ],
            &[
                "se devuelve", "devolviendo", "se esta devolviendo", "se regresa", "regresando", "subiendo",
                "sube el agua", "brotando", "brota", "tirando para arriba",
            ],
        ],
        unless: &[],
    },
    // No water at all.
    Sign {
        hazard: Hazard::NoWater,
        all: &[&[
            "no hay agua", "no tengo agua", "no tenemos agua", "sin agua", "no sale agua", "no sale nada",
            "no cae agua", "no viene agua", "no llega agua", "cortaron el agua", "quitaron el agua",
            "se fue el agua", "el agua esta cortada", "nada de agua",
        ]],
        unless: &[
            "presion", "un aviso", "el aviso", "avisaron que", "van a", "va a", "factura", "caliente",
            "cuenta",
        ],
    },
    Sign {
        hazard: Hazard::NoWater,
        all: &[&["ni fria ni caliente", "ni caliente ni fria", "ni agua fria"]],
        unless: &[],
    },
    // No heat.
    Sign {
        hazard: Hazard::NoHeat,
        all: &[&[
            "no hay calefaccion", "no tengo calefaccion", "no tenemos calefaccion", "sin calefaccion",
            "no hay calor", "no hay heat", "no hay heating", "no tengo heat", "no tenemos heat", "sin heat",
            "nos estamos congelando", "me estoy congelando", "estamos congelados", "estamos congelandonos",
            "hace mucho frio adentro", "hace mucho frio en el apartamento", "frio en el apartamento",
            "un frio horrible adentro", "el apartamento esta helado", "la casa esta helada",
            "grados en el apartamento", "grados adentro", "grados en la casa",
        ]],
        unless: &[
            "demasiado caliente", "muy caliente", "mucho calor", "tibio", "inspeccion",
            "calentador electrico", "calentador portatil", "space heater",
        ],
    },
    Sign {
        hazard: Hazard::NoHeat,
        all: &[
            &[
                "calefaccion", "calentador", "heat", "heating", "heater", "boiler", "caldera", "radiador",
                "radiadores", "la calefaccion", "los radiadores",
            ],
            NOT_HEATING,
        ],
        unless: &[
            "demasiado caliente", "muy caliente", "mucho calor", "no se apaga", "bajarla", "bajarle",
            "tibio", "tibia", "calentador de agua", "heater de agua", "agua caliente", "piloto",
            "inspeccion", "calentador electrico", "calentador portatil", "space heater", "ruido", "golpes",
            "silba", "suficiente",
        ],
    },
    // Ice or snow blocking the only way out.
    Sign {
        hazard: Hazard::BlockedExit,
        all: &[
            &["nieve", "hielo", "congelada", "congelado"],
            &[
                "unica salida", "no podemos salir", "no puedo salir", "no puedo abrir la puerta",
                "bloqueada", "bloqueado", "bloquea", "bloqueando", "tapada", "atrapados", "atrapada",
                "atrapado", "encerrados",
            ],
        ],
        unless: &["acera de enfrente", "canaleta", "estacionamiento", "parqueo", "carro"],
    },
    // No hot water.
    Sign {
        hazard: Hazard::NoHotWater,
        all: &[&[
            "no hay agua caliente", "no tengo agua caliente", "no tenemos agua caliente",
            "sin agua caliente", "solo agua fria", "solamente agua fria", "nada mas agua fria",
            "nomas agua fria", "solo sale agua fria", "nada mas sale agua fria", "sale pura agua fria",
            "el agua sale fria", "sale el agua fria", "el agua no calienta", "el agua no se calienta",
            "agua helada", "con agua fria", "no sale agua caliente", "no sale caliente",
            "no llega el agua caliente", "no hay hot water",
        ]],
        unless: &["se acaba rapido", "se acaba muy rapido", "tarda", "demasiado caliente", "muy caliente"],
    },
    Sign {
        hazard: Hazard::NoHotWater,
        all: &[
            &["agua caliente", "calentador de agua", "heater de agua"],
            &[
                "no funciona", "no sirve", "se fue", "no hay", "no sale", "no tenemos", "no tengo",
                "cortada", "cortaron",
            ],
        ],
        unless: &["se acaba rapido", "rapido", "tarda", "demasiado", "factura", "bien"],
    },
    // The building's entry left open to anyone.
    Sign {
        hazard: Hazard::EntryDoor,
        all: &[
            &[
                "puerta del edificio", "puerta de entrada del edificio", "puerta principal",
                "entrada principal", "entrada del edificio", "puerta de la calle", "puerta del lobby",
                "puerta del frente del edificio", "puerta de abajo", "puerta de afuera",
                "porton del edificio",
            ],
            &[
                "rota", "roto", "no cierra", "no tranca", "no asegura", "no tiene seguro",
                "no cierra con llave", "se queda abierta", "esta abierta", "no se cierra", "cerradura rota",
                "cualquiera puede entrar", "cualquiera entra", "entra cualquiera", "entra cualquier persona",
                "sin seguro", "danada", "no sirve",
            ],
        ],
        unless: NOT_NOW,
    },
    // A door or window broken so that the home cannot be secured.
    Sign {
        hazard: Hazard::UnsecuredUnit,
        all: &[
            &["puerta", "ventana", "ventanas", "puerta corrediza"],
            &[
                "rompieron", "rompio", "rota", "roto", "quebrada", "quebraron", "quebro", "hecha pedazos",
                "destrozada", "patearon", "pateo", "tumbaron", "tumbo", "forzaron", "forzo", "forzada",
                "se metieron", "entraron a robar", "rompio la", "rompio el",
            ],
            &[
                "no cierra", "no puedo cerrar", "no puedo cerrarla", "no tranca", "no se puede trancar",
                "no puedo trancar", "no asegura", "no puedo asegurar", "abierta", "cualquiera puede entrar",
                "cualquiera podria entrar", "cualquiera se puede meter", "no le sirve el seguro",
                "no tiene seguro", "no cierra con llave", "no puedo trancarla", "no puedo cerrarla",
                "no la puedo cerrar", "no la puedo trancar", "no se puede cerrar",
            ],
        ],
        unless: &[],
    },
    // Locked out, with someone (or something) at risk inside.
    Sign {
        hazard: Hazard::LockoutAtRisk,
        all: &[
            &[
                "me quede afuera", "me quede fuera", "me quede por fuera", "me cerre afuera",
                "me cerro afuera", "deje las llaves adentro", "deje las llaves dentro",
                "se me quedaron las llaves", "no puedo entrar", "cerro la puerta", "se cerro la puerta",
                "se tranco la puerta", "se quedo encerrado", "se quedo encerrada", "quedo encerrado",
                "quedo encerrada", "cerro con seguro", "puso el seguro",
            ],
            &[
                "bebe", "nene", "nena", "nino", "nina", "ninos", "hijo", "hija", "hijos", "estufa", "horno",
                "medicina", "medicinas", "medicamento", "pastillas", "insulina", "anciano", "anciana",
                "abuela", "abuelo", "mama", "papa", "madre", "padre", "solo", "sola", "solito", "solita",
                "prendida", "prendido",
            ],
        ],
        unless: &["portal", "pagina", "cuenta en linea", "app"],
    },
    Sign {
        hazard: Hazard::Lockout,
        all: &[&[
            "me quede afuera", "me quede fuera", "me quede por fuera", "me cerre afuera",
            "deje las llaves adentro", "deje las llaves dentro", "se me quedaron las llaves",
            "perdi las llaves", "perdi mi llave", "perdi la llave", "se me perdieron las llaves",
            "no puedo entrar a mi apartamento", "no puedo entrar a la casa", "no puedo entrar a mi casa",
        ]],
        unless: &[],
    },
    Sign {
        hazard: Hazard::NoAirConditioning,
        all: &[&["aire acondicionado", "el aire", "a c", "ac", "los aires"], NOT_WORKING],
        unless: &[],
    },
    Sign {
        hazard: Hazard::CloggedToilet,
        all: &[
            &["inodoro", "toilet", "taza", "la taza del bano"],
            &[
                "tapado", "tapada", "tupido", "tupida", "atascado", "atascada", "no baja", "no descarga",
                "no jala", "obstruido", "se tapo", "se tupio",
            ],
        ],
        unless: &[],
    },
];

/// Words that name a danger without saying it is happening (see `hazards::Vocabulary`).
const MENTIONS: &[(Hazard, &[&str])] = &[
    (Hazard::Gas, &["gas"]),
    (Hazard::CarbonMonoxide, &["monoxido"]),
    (Hazard::Fire, &["fuego", "incendio", "llamas", "candela"]),
    (Hazard::Smoke, &["humo"]),
    (Hazard::Electrical, &["chispas", "cables", "corrientazo"]),
    (Hazard::StructuralCollapse, &["derrumbe", "se derrumbo", "colapso"]),
    (Hazard::ElevatorEntrapment, &["atrapado", "atrapada", "atrapados"]),
    (Hazard::Flooding, &["inundacion", "inundado", "inundando", "se inundo"]),
    (Hazard::Sewage, &["aguas negras"]),
];

#[cfg(test)]
mod tests;
