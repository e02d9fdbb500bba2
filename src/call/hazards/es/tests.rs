//! The Spanish hazard table against everyday sentences and their near-misses.

use super::*;
use crate::call::heard::Heard;

fn first(text: &str) -> Option<Hazard> {
    SPANISH.heard(&Heard::unaccented(text)).first().copied()
}

#[test]
fn every_phrase_is_written_as_it_is_matched() {
    for sign in SPANISH.signs {
        assert!(!sign.all.is_empty() && sign.all.iter().all(|g| !g.is_empty()), "{:?}", sign.hazard);
        for phrase in sign.all.iter().flat_map(|g| g.iter()).chain(sign.unless) {
            assert_eq!(Heard::unaccented(phrase).text().trim(), *phrase, "{phrase:?} can never match");
        }
    }
    for phrase in MENTIONS.iter().flat_map(|(_, words)| words.iter()) {
        assert_eq!(Heard::unaccented(phrase).text().trim(), *phrase, "{phrase:?} can never match");
    }
}

#[test]
fn the_life_safety_core_with_or_without_accents() {
    assert_eq!(first("huele a gas en la cocina"), Some(Hazard::Gas));
    assert_eq!(first("hay un olor a huevo podrido"), Some(Hazard::Gas));
    assert_eq!(first("la alarma de monóxido está sonando"), Some(Hazard::CarbonMonoxide));
    assert_eq!(first("todos tenemos dolor de cabeza y estamos mareados"), Some(Hazard::CarbonMonoxide));
    assert_eq!(first("se prendió fuego la estufa"), Some(Hazard::Fire));
    assert_eq!(first("cogió candela el zafacón"), Some(Hazard::Fire));
    assert_eq!(first("hay humo en el pasillo"), Some(Hazard::Smoke));
    assert_eq!(first("el detector de humo no para de sonar"), Some(Hazard::Smoke));
    assert_eq!(first("sale chispas del enchufe"), Some(Hazard::Electrical));
    assert_eq!(first("se cayó el techo del baño"), Some(Hazard::StructuralCollapse));
    assert_eq!(first("se callo el techo"), Some(Hazard::StructuralCollapse));
    assert_eq!(first("mi mamá está atrapada en el elevador"), Some(Hazard::ElevatorEntrapment));
    assert_eq!(first("se inundó el baño"), Some(Hazard::Flooding));
    assert_eq!(first("se inundo el bano"), Some(Hazard::Flooding));
    assert_eq!(first("está cayendo agua del techo"), Some(Hazard::Flooding));
    assert_eq!(first("el inodoro se está devolviendo"), Some(Hazard::Sewage));
}

#[test]
fn what_office_policy_decides() {
    assert_eq!(first("no hay calefacción"), Some(Hazard::NoHeat));
    assert_eq!(first("el heat no sirve"), Some(Hazard::NoHeat));
    assert_eq!(first("no hay agua caliente"), Some(Hazard::NoHotWater));
    assert_eq!(first("no tenemos agua en todo el edificio"), Some(Hazard::NoWater));
    assert_eq!(first("la puerta principal no cierra, cualquiera entra"), Some(Hazard::EntryDoor));
    assert_eq!(first("me quedé afuera y el bebé está adentro"), Some(Hazard::LockoutAtRisk));
    assert_eq!(first("perdí las llaves"), Some(Hazard::Lockout));
    assert_eq!(first("el inodoro está tapado"), Some(Hazard::CloggedToilet));
}

#[test]
fn near_misses_share_the_words_but_not_the_danger() {
    for quiet in [
        "el detector de humo está pitando porque necesita batería",
        "tengo una pregunta sobre la factura del gas",
        "la escalera de incendios está oxidada",
        "se está cayendo la pintura del techo",
        "hay una mancha de agua en el techo",
        "se me quemó el bombillo",
        "mi vecino fuma y el humo entra por la ventana",
        "el agua caliente se acaba rápido",
        "el radiador hace mucho ruido",
        "el calentador está demasiado caliente y no se apaga",
    ] {
        assert_eq!(SPANISH.heard(&Heard::unaccented(quiet)), [], "{quiet}");
    }
}
