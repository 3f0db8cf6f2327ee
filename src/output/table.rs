//! The claims table (comfy-table), coloured by level on a terminal.

use crate::model::{ArticleReport, Claim, Level};
use comfy_table::{
    presets, Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table,
    Width,
};

#[derive(Debug, Clone, Copy)]
pub struct TableStyle {
    pub color: bool,
    /// Total width in columns.
    pub width: u16,
}

fn level_color(l: Level) -> Color {
    match l {
        Level::Strong => Color::Green,
        Level::Moderate => Color::Cyan,
        Level::Limited => Color::Yellow,
        Level::Weak => Color::Magenta,
        Level::Unattributed => Color::Red,
    }
}

/// Shortens to at most `max` characters, ending with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Texts of a claim's cells: source as written, resolved (kind), cue, chain.
fn parts(c: &Claim) -> (String, String, String, String) {
    match &c.attribution {
        Some(a) => {
            let resolved = match &a.source.resolved {
                Some(r) => format!("{r} ({})", a.source.kind),
                None => format!("({})", a.source.kind),
            };
            let chain = a
                .chain
                .iter()
                .map(|h| h.resolved.clone().unwrap_or_else(|| h.text.clone()))
                .collect::<Vec<_>>()
                .join(" -> ");
            let chain = if a.inherited {
                format!("{chain} (inherited)")
            } else {
                chain
            };
            (
                shorten(&a.source.text, 28),
                shorten(&resolved, 34),
                shorten(&a.cue.text, 20),
                shorten(&chain, 48),
            )
        }
        None => ("-".into(), "-".into(), "-".into(), "-".into()),
    }
}

fn level_cells(c: &Claim, style: &TableStyle, narrow: bool) -> (Cell, Cell) {
    // the risk and the flags raised, by id (at most three, then a count)
    let mut flags = String::new();
    if let Some(risk) = c.risk.filter(|r| *r != "low") {
        flags.push_str(&format!("\nrisk: {risk}"));
    }
    for f in c.flags.iter().take(3) {
        flags.push_str(&format!("\n!{}", f.id));
    }
    if c.flags.len() > 3 {
        flags.push_str(&format!("\n+{} more", c.flags.len() - 3));
    }
    let level = if narrow {
        format!("{} {}{flags}", c.strength.score, c.strength.level.as_str())
    } else {
        format!("{}{flags}", c.strength.level.as_str())
    };
    let mut level_cell = Cell::new(level);
    let mut score_cell = Cell::new(c.strength.score).set_alignment(CellAlignment::Right);
    if style.color {
        level_cell = level_cell
            .fg(level_color(c.strength.level))
            .add_attribute(Attribute::Bold);
        score_cell = score_cell.fg(level_color(c.strength.level));
    }
    (score_cell, level_cell)
}

fn row(c: &Claim, style: &TableStyle, claim_chars: usize, narrow: bool) -> Vec<Cell> {
    let (source, resolved, cue, chain) = parts(c);
    let (score_cell, level_cell) = level_cells(c, style, narrow);
    let number = Cell::new(c.index).set_alignment(CellAlignment::Right);
    let claim = Cell::new(shorten(&c.text, claim_chars));
    if narrow {
        let who = if c.attribution.is_some() {
            format!("{source}\n= {resolved}\ncue: {cue}")
        } else {
            "-".into()
        };
        return vec![number, claim, Cell::new(who), Cell::new(chain), level_cell];
    }
    vec![
        number,
        claim,
        Cell::new(source),
        Cell::new(resolved),
        Cell::new(cue),
        Cell::new(chain),
        score_cell,
        level_cell,
    ]
}

/// One line: claims by level and flags.
pub fn summary_line(r: &ArticleReport) -> String {
    let levels = Level::ALL
        .iter()
        .map(|l| format!("{} {}", l.as_str(), r.summary.levels.get(*l)))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{}: {} claims ({levels}); {} flags",
        r.id, r.summary.claims, r.summary.flags
    )
}

/// Wraps text at spaces to lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

pub fn render(r: &ArticleReport, style: &TableStyle) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    // below 110 columns the source, its resolution and the cue share one column
    let w = style.width as usize;
    let narrow = w < 110;
    if narrow {
        t.set_header(vec![
            "#",
            "Claim",
            "Source = resolved (kind)",
            "Chain",
            "Strength",
        ]);
    } else {
        t.set_header(vec![
            "#",
            "Claim",
            "Source",
            "Resolved (kind)",
            "Cue",
            "Chain",
            "Score",
            "Level",
        ]);
    }
    // about four lines of the claim column
    let claim_chars = (w * if narrow { 26 } else { 30 } / 100 * 4).clamp(40, 240);
    for c in &r.claims {
        t.add_row(row(c, style, claim_chars, narrow));
    }
    // the claim takes what the other columns leave; the others are capped
    let cap = |share: usize, min: u16| Width::Fixed(((w * share / 100) as u16).max(min));
    let caps: &[(usize, usize, u16)] = if narrow {
        &[(2, 28, 14), (3, 22, 12), (4, 20, 17)]
    } else {
        &[
            (2, 12, 8),
            (3, 15, 10),
            (4, 12, 8),
            (5, 18, 10),
            (7, 12, 12),
        ]
    };
    for &(col, share, min) in caps {
        if let Some(c) = t.column_mut(col) {
            c.set_constraint(ColumnConstraint::UpperBoundary(cap(share, min)));
        }
    }
    if let Some(c) = t.column_mut(1) {
        c.set_constraint(ColumnConstraint::LowerBoundary(cap(26, 16)));
    }
    let mut out = format!("{}\n", r.id);
    out.push_str(&t.to_string());
    out.push('\n');
    let summary = wrap(&summary_line(r), style.width as usize);
    if style.color {
        out.push_str(&format!("\x1b[1m{summary}\x1b[0m\n"));
    } else {
        out.push_str(&summary);
        out.push('\n');
    }
    out
}
