//! Article-wide checks on the project's own texts: name spellings (never merging two
//! catalogued people), titles, a quotation given to two speakers, reliance on one source.

use sourcecheck::model::ArticleReport;
use sourcecheck::rules::RuleSet;

fn analyze(text: &str) -> ArticleReport {
    sourcecheck::analyze("t", text, &RuleSet::default_rules().unwrap())
}

fn messages(r: &ArticleReport, id: &str) -> Vec<String> {
    r.claims
        .iter()
        .flat_map(|c| c.flags.iter())
        .filter(|f| f.id == id)
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn two_catalogued_people_are_never_merged() {
    let r = analyze("Foreign Minister Ali Bagheri Kani met Gen. Mohammad Bagheri on Monday. Bagheri Kani said the talks were useful. Bagheri said the army was ready.");
    assert!(
        messages(&r, "name-spellings").is_empty(),
        "{:?}",
        messages(&r, "name-spellings")
    );
    let resolved: Vec<Option<String>> = r
        .claims
        .iter()
        .filter_map(|c| c.attribution.as_ref())
        .map(|a| a.source.resolved.clone())
        .collect();
    assert_eq!(
        resolved,
        [
            Some("Ali Bagheri Kani".to_string()),
            Some("Mohammad Bagheri".to_string())
        ]
    );
}

#[test]
fn an_uncatalogued_person_spelt_two_ways_is_flagged_with_both_places() {
    let text = "Port director Oleksandr Hrytsenko said the cranes had arrived.\n\nGritsenko said the first ship would dock in May.\n";
    let r = analyze(text);
    let m = messages(&r, "name-spellings");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("Hrytsenko (1:") && m[0].contains("Gritsenko (3:1)"),
        "{}",
        m[0]
    );
}

#[test]
fn different_ranks_for_one_person_are_flagged() {
    let r = analyze("Brig. Gen. Ivo Marinov inspected the troops. Later, Major General Ivo Marinov said the drill was over.");
    let m = messages(&r, "title-inconsistency");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("Brigadier General") && m[0].contains("Major General"),
        "{}",
        m[0]
    );
    let same = analyze("Brig. Gen. Ivo Marinov inspected the troops. Later, Brigadier General Ivo Marinov said the drill was over.");
    assert!(
        messages(&same, "title-inconsistency").is_empty(),
        "the same rank spelt out is consistent"
    );
}

#[test]
fn one_quotation_given_to_two_speakers_is_an_error() {
    let r = analyze("\"We will rebuild the bridge before the winter,\" Mayor Ilse Korver said.\n\n\"We will rebuild the bridge before the winter,\" council leader Tomas Brekke said.\n");
    let flags: Vec<_> = r
        .claims
        .iter()
        .flat_map(|c| c.flags.iter())
        .filter(|f| f.id == "quote-two-speakers")
        .collect();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].severity, "error");
    assert!(
        flags[0].message.contains("Ilse Korver") && flags[0].message.contains("Tomas Brekke"),
        "{}",
        flags[0].message
    );
}

#[test]
fn reliance_on_one_source_is_summarised_and_flagged() {
    let r = analyze(
        "According to Reuters, the port will reopen. Reuters reported that the cranes had arrived. \
         According to Reuters, the first ship will dock in May. The mayor said the town was ready.",
    );
    let top = &r.summary.reliance[0];
    assert_eq!((top.source.as_str(), top.claims), ("Reuters", 3));
    assert!((top.share - 0.75).abs() < 1e-9);
    assert!(
        messages(&r, "single-source")
            .iter()
            .any(|m| m.contains("3 of 4") && m.contains("Reuters")),
        "{:?}",
        messages(&r, "single-source")
    );
}

#[test]
fn accented_spellings_of_one_name_are_grouped() {
    let r = analyze("Economy minister Jonas Mueller said the budget was final.\n\nMüller said the rail plan would follow in June.\n");
    let m = messages(&r, "name-spellings");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("Mueller (") && m[0].contains("Müller ("),
        "{}",
        m[0]
    );
}
