//! The keyword rules against how callers really talk: every utterance in
//! `tests/fixtures/corpus.tsv` (English) and `tests/fixtures/corpus-es.tsv` (Spanish) is said
//! first thing in a call by a tenant, on a January weekday during office hours, and what the
//! machine then does is compared with its label.
//!
//! It prints the share handled per category (`cargo test --test corpus -- --nocapture`) and
//! fails below the floors, the same in both languages: 97% overall, every emergency
//! escalated, at most 1% of the rest. Each corpus must also be read in its own language.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use frontdesk::call::lines::Lines;
use frontdesk::call::{
    Action, Call, Caller, CallerKind, Event, Facts, Language, Next, Offer, Stage, Target, rules,
};
use frontdesk::knowledge::{self, Knowledge};
use frontdesk::office::Office;
use frontdesk::phone::Phone;

const ENGLISH: &str = include_str!("fixtures/corpus.tsv");
const SPANISH: &str = include_str!("fixtures/corpus-es.tsv");

/// Tuesday, January 12 2027, 10:00 in New York: open, and in the heating season.
fn january_morning() -> DateTime<Utc> {
    chrono_tz::America::New_York.with_ymd_and_hms(2027, 1, 12, 10, 0, 0).unwrap().with_timezone(&Utc)
}

fn tenant() -> Caller {
    Caller {
        phone: Phone::parse("+17185550101"),
        kind: CallerKind::Tenant,
        name: Some("Maria Lopez".into()),
        unit: Some("2B".into()),
        property: Some("31 Port Richmond Ave".into()),
        records: None,
        open_issues: Vec::new(),
        identity: frontdesk::call::Identity::Attested,
    }
}

struct Row<'a> {
    category: &'a str,
    expected: &'a str,
    utterance: &'a str,
}

fn corpus(text: &'static str) -> Vec<Row<'static>> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut fields = line.split('\t');
            let (Some(category), Some(expected), Some(utterance), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                panic!("a corpus line needs three tab-separated fields: {line:?}")
            };
            Row { category, expected, utterance }
        })
        .collect()
}

/// What the machine did with the utterance, in the corpus's words.
fn outcome(office: &Office, call: &Call, turn: &frontdesk::call::Turn) -> &'static str {
    let spoken = turn.say.join(" ");
    if turn.actions.iter().any(|a| matches!(a, Action::PageOnCall { .. })) {
        return "escalate";
    }
    if turn.next == Next::Hangup {
        return "goodbye";
    }
    if matches!(call.stage, Stage::Transferring { to: Target::Office }) {
        return "person";
    }
    match &call.stage {
        Stage::Intake { .. } | Stage::Confirming { .. } => return "maintenance",
        Stage::Listening { offer: Some(Offer::Showing) } => return "leasing",
        _ => {}
    }
    // The lines of the call's language: a Spanish first utterance is answered in Spanish.
    let said = Lines::of(call.language);
    if spoken.contains(&said.week(office)) {
        return "hours";
    }
    if spoken.contains(&office.address_spoken) {
        return "address";
    }
    if spoken.contains("applying")
        || spoken.contains("cómo solicitar un apartamento")
        || said.leasing(office).iter().any(|line| spoken.contains(line.as_str()))
    {
        return "leasing";
    }
    if said.welcome().iter().any(|line| spoken.starts_with(line.as_str())) {
        return "thanks";
    }
    if matches!(call.stage, Stage::Listening { offer: Some(Offer::Transfer | Offer::Message) }) {
        return "offer";
    }
    "other"
}

/// Whether what happened is what the label asks for. An offer of a person is also met by
/// putting the caller through; nothing about money may be stated either way.
fn handled(expected: &str, got: &str, spoken: &str) -> bool {
    match expected {
        "offer" => matches!(got, "offer" | "person") && !spoken.contains('$'),
        expected => expected == got,
    }
}

/// How the rules did on one corpus.
#[derive(Default)]
struct Measured {
    /// Per category: handled, all.
    tally: BTreeMap<&'static str, (usize, usize)>,
    emergencies: usize,
    emergencies_escalated: usize,
    others: usize,
    others_escalated: usize,
    /// Utterances read as each language (none: either could have said it).
    read_as: BTreeMap<Option<Language>, usize>,
    /// Utterances read as a request to switch languages.
    switch_requests: Vec<&'static str>,
    misses: Vec<String>,
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

impl Measured {
    fn totals(&self) -> (usize, usize) {
        self.tally.values().fold((0, 0), |(h, t), (rh, rt)| (h + rh, t + rt))
    }

    fn read_as(&self, language: Language) -> usize {
        self.read_as.get(&Some(language)).copied().unwrap_or(0)
    }

    /// The figures, printed in one piece so two corpora measured at once do not interleave.
    fn print(&self, name: &str) {
        let (handled, total) = self.totals();
        let mut out = format!("{name}\n{:<12} {:>7} {:>6}\n", "category", "handled", "share");
        for (category, (ok, all)) in &self.tally {
            out += &format!("{category:<12} {ok:>3}/{all:<3} {:>5.1}%\n", percent(*ok, *all));
        }
        out += &format!("{:<12} {handled:>3}/{total:<3} {:>5.1}%\n", "overall", percent(handled, total));
        out += &format!(
            "emergencies escalated {}/{}; others escalated {}/{} ({:.1}%)\n",
            self.emergencies_escalated,
            self.emergencies,
            self.others_escalated,
            self.others,
            percent(self.others_escalated, self.others)
        );
        out += &format!(
            "read as English {}, as Spanish {}, as either {}\n",
            self.read_as(Language::English),
            self.read_as(Language::Spanish),
            self.read_as.get(&None).copied().unwrap_or(0)
        );
        for miss in &self.misses {
            out += &format!("miss: {miss}\n");
        }
        println!("{out}");
    }

    /// The floors every language's rules must reach.
    fn assert_floors(&self, at_least: usize, near_misses_at_least: usize) {
        let (handled, total) = self.totals();
        let misses = self.misses.join("\n");
        assert!(total >= at_least, "the corpus holds {total} utterances; it needs at least {at_least}");
        let near_misses = self.tally.get("near_miss").map_or(0, |(_, all)| *all);
        assert!(
            near_misses >= near_misses_at_least,
            "the corpus holds {near_misses} near-misses; it needs at least {near_misses_at_least}"
        );
        assert_eq!(self.emergencies_escalated, self.emergencies, "every emergency escalates:\n{misses}");
        assert!(
            percent(self.others_escalated, self.others) <= 1.0,
            "{} of {} non-emergencies escalated:\n{misses}",
            self.others_escalated,
            self.others
        );
        assert!(percent(handled, total) >= 97.0, "{handled}/{total} handled:\n{misses}");
    }
}

fn measure(text: &'static str) -> Measured {
    let office = Office::load(None).unwrap();
    let knowledge = Knowledge::from_toml(knowledge::SEED).unwrap();
    let facts = Facts {
        office: &office,
        knowledge: &knowledge,
        now: january_morning(),
        texting: true,
        reference: None,
        linked: None,
    };
    let mut measured = Measured::default();
    for row in corpus(text) {
        let (call, _) = frontdesk::call::step(Call::new(tenant()), Event::Answered, &facts);
        let reading = rules::read(row.utterance, &office.staff);
        *measured.read_as.entry(reading.language).or_default() += 1;
        if reading.wants_language.is_some() {
            measured.switch_requests.push(row.utterance);
        }
        let heard = Event::Heard { text: row.utterance.into(), confidence: Some(0.9), reading };
        let (call, turn) = frontdesk::call::step(call, heard, &facts);
        let got = outcome(&office, &call, &turn);
        let ok = handled(row.expected, got, &turn.say.join(" "));
        let entry = measured.tally.entry(row.category).or_default();
        entry.1 += 1;
        if ok {
            entry.0 += 1;
        } else {
            measured.misses.push(format!(
                "{:>10} expected {:<11} got {:<11} {:?}",
                row.category, row.expected, got, row.utterance
            ));
        }
        if row.expected == "escalate" {
            measured.emergencies += 1;
            measured.emergencies_escalated += usize::from(got == "escalate");
        } else {
            measured.others += 1;
            measured.others_escalated += usize::from(got == "escalate");
        }
    }
    measured
}

#[test]
fn the_rules_handle_how_callers_talk() {
    let english = measure(ENGLISH);
    english.print("English (tests/fixtures/corpus.tsv)");
    english.assert_floors(400, 50);
    assert_eq!(english.read_as(Language::Spanish), 0, "an English caller is never taken for a Spanish one");
    assert_eq!(english.switch_requests, Vec::<&str>::new(), "nobody here asked for another language");
}

#[test]
fn the_rules_handle_how_spanish_speakers_talk() {
    let spanish = measure(SPANISH);
    spanish.print("Spanish (tests/fixtures/corpus-es.tsv)");
    spanish.assert_floors(200, 30);
    assert_eq!(spanish.read_as(Language::English), 0, "a Spanish caller is never taken for an English one");
    let (_, total) = spanish.totals();
    assert!(
        percent(spanish.read_as(Language::Spanish), total) >= 97.0,
        "only {} of {total} Spanish utterances were read as Spanish",
        spanish.read_as(Language::Spanish)
    );
}
