//! Spanish callers through the machine, read by the keyword rules alone: what each question
//! of a maintenance request waits for, an emergency, and a danger named over and over. The
//! lines are English until the Spanish lines exist; these scripts assert what the machine
//! did, not what it said.

use super::*;
use crate::call::Target;

fn pages(turn: &Turn) -> usize {
    turn.actions.iter().filter(|a| matches!(a, Action::PageOnCall { .. })).count()
}

#[test]
fn a_spanish_maintenance_request_is_collected_confirmed_and_filed() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("Hola, la pluma del baño está goteando");
    let Stage::Intake { request, asking: Field::Entry } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!(request.location.as_deref(), Some("baño"), "the caller's own word");
    s.says("sí, pueden entrar");
    assert!(matches!(s.call.stage, Stage::Intake { asking: Field::Callback, .. }), "{:?}", s.call.stage);
    s.says("no, mejor llámeme al siete uno ocho, cinco cincuenta y cinco, cero uno cero dos");
    assert!(matches!(s.call.stage, Stage::Confirming { .. }), "{:?}", s.call.stage);
    let turn = s.says("sí, correcto");
    let [Action::FileServiceIssue(issue)] = turn.actions.as_slice() else { panic!("{turn:?}") };
    assert_eq!(issue.problem, "Hola, la pluma del baño está goteando");
    assert_eq!(issue.location.as_deref(), Some("baño"));
    assert_eq!((issue.entry, issue.priority), (Some(true), Priority::Urgent));
    assert_eq!(issue.callback, Phone::parse("7185550102"));
}

#[test]
fn a_no_to_the_read_back_asks_what_to_change_and_this_number_is_the_callers() {
    let mut s = Script::new(tenant(), tuesday_morning());
    s.says("el inodoro está tapado");
    s.says("en el baño");
    s.says("no, prefiero estar presente");
    s.says("a este mismo número");
    let Stage::Confirming { request, .. } = &s.call.stage else { panic!("{:?}", s.call.stage) };
    assert_eq!((request.entry, request.callback.clone()), (Some(false), s.call.caller.phone.clone()));
    s.says("no, está mal");
    assert!(matches!(s.call.stage, Stage::Confirming { fixing: true, .. }), "{:?}", s.call.stage);
}

#[test]
fn a_spanish_gas_smell_escalates_at_once() {
    let mut s = Script::new(tenant(), tuesday_morning());
    let turn = s.says("¡Ay Dios mío, huele a gas en la cocina!");
    assert_eq!(pages(&turn), 1);
    assert_eq!(s.call.stage, Stage::Transferring { to: Target::OnCall });
    assert!(s.call.outcomes.emergency);
}

#[test]
fn after_hours_a_caller_who_keeps_naming_a_danger_in_spanish_reaches_on_call() {
    let three_am = eastern(2026, 12, 2, 3, 0);
    let mut s = Script::new(Caller::unknown(Phone::parse("+17185559999")), three_am);
    // "Derrumbe" (a collapse) names the danger without saying where: a Spanish word only.
    s.says("un derrumbe... el derrumbe");
    s.says("derrumbe, señora, derrumbe");
    let turn = s.says("derrumbe por favor");
    assert_eq!(turn.next, Next::Dial { number: s.office.on_call_phone.clone(), timeout: 20 });
    assert_eq!(pages(&turn), 1);
}
