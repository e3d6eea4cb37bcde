//! Unit conversions written into a claim: "355 feet (108 m)", "50-foot (15 m)", "5 km (3.1 mi)".
//! Wikipedia writes most measures this way (its `{{convert}}` template), and a source usually
//! gives one of the two. The bracketed number restates the first in other units, so when the
//! arithmetic holds, the pair is one fact: found when either number is in the source. A wrong
//! conversion is not paired, and each of its numbers is checked on its own.

use super::numbers::Number;
use crate::text::tokens::Word;

/// What a unit measures: conversions pair units of one kind only.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Length,
    Area,
    Mass,
    Volume,
    Speed,
    Temperature,
}

/// A unit: its kind and its size in the kind's base unit (metre, square metre, kilogram, cubic
/// metre, metre per second; for temperature, degrees Celsius per degree and the offset).
#[derive(Clone, Copy, Debug)]
struct Unit {
    kind: Kind,
    factor: f64,
    offset: f64,
}

/// Unit words (folded) and their sizes. Area units are also made from a length unit with
/// "square"/"sq" before it; "km2" is how "km²" reads once folded.
const UNITS: &[(&str, Kind, f64)] = &[
    ("m", Kind::Length, 1.0),
    ("metre", Kind::Length, 1.0),
    ("metres", Kind::Length, 1.0),
    ("meter", Kind::Length, 1.0),
    ("meters", Kind::Length, 1.0),
    ("km", Kind::Length, 1000.0),
    ("kilometre", Kind::Length, 1000.0),
    ("kilometres", Kind::Length, 1000.0),
    ("kilometer", Kind::Length, 1000.0),
    ("kilometers", Kind::Length, 1000.0),
    ("cm", Kind::Length, 0.01),
    ("centimetres", Kind::Length, 0.01),
    ("centimeters", Kind::Length, 0.01),
    ("mm", Kind::Length, 0.001),
    ("millimetres", Kind::Length, 0.001),
    ("millimeters", Kind::Length, 0.001),
    ("ft", Kind::Length, 0.3048),
    ("foot", Kind::Length, 0.3048),
    ("feet", Kind::Length, 0.3048),
    ("in", Kind::Length, 0.0254),
    ("inch", Kind::Length, 0.0254),
    ("inches", Kind::Length, 0.0254),
    ("yd", Kind::Length, 0.9144),
    ("yard", Kind::Length, 0.9144),
    ("yards", Kind::Length, 0.9144),
    ("mi", Kind::Length, 1609.344),
    ("mile", Kind::Length, 1609.344),
    ("miles", Kind::Length, 1609.344),
    ("m2", Kind::Area, 1.0),
    ("km2", Kind::Area, 1e6),
    ("ha", Kind::Area, 1e4),
    ("hectare", Kind::Area, 1e4),
    ("hectares", Kind::Area, 1e4),
    ("acre", Kind::Area, 4046.856),
    ("acres", Kind::Area, 4046.856),
    ("kg", Kind::Mass, 1.0),
    ("kilogram", Kind::Mass, 1.0),
    ("kilograms", Kind::Mass, 1.0),
    ("g", Kind::Mass, 0.001),
    ("grams", Kind::Mass, 0.001),
    ("t", Kind::Mass, 1000.0),
    ("tonne", Kind::Mass, 1000.0),
    ("tonnes", Kind::Mass, 1000.0),
    ("lb", Kind::Mass, 0.453_592),
    ("lbs", Kind::Mass, 0.453_592),
    ("pound", Kind::Mass, 0.453_592),
    ("pounds", Kind::Mass, 0.453_592),
    ("oz", Kind::Mass, 0.028_35),
    ("ounces", Kind::Mass, 0.028_35),
    ("l", Kind::Volume, 0.001),
    ("litre", Kind::Volume, 0.001),
    ("litres", Kind::Volume, 0.001),
    ("liter", Kind::Volume, 0.001),
    ("liters", Kind::Volume, 0.001),
    ("gal", Kind::Volume, 0.003_785),
    ("gallon", Kind::Volume, 0.003_785),
    ("gallons", Kind::Volume, 0.003_785),
    ("mph", Kind::Speed, 0.447_04),
    ("kph", Kind::Speed, 1.0 / 3.6),
];

/// How far a bracketed number may sit from the exact conversion: `{{convert}}` rounds to about
/// two significant figures, which is within 5 % of the value for numbers from 10 up; smaller
/// ones are allowed half a unit of their last written digit.
const CONVERSION_TOLERANCE: f64 = 0.06;

/// Pairs of the claim's numbers (indices into `numbers`) where the second, in brackets right
/// after the first and its unit, restates the first in another unit of the same kind.
pub(super) fn conversions(text: &str, words: &[Word], numbers: &[Number]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (a, first) in numbers.iter().enumerate() {
        let Some(b) = numbers.get(a + 1) else {
            break;
        };
        let Some((unit_a, end_a)) = unit_after(text, words, first.last, None) else {
            continue;
        };
        let opens_bracket =
            end_a + 1 == b.first && text[words[end_a].end..words[b.first].start].trim() == "(";
        if !opens_bracket {
            continue;
        }
        let Some((unit_b, _)) = unit_after(text, words, b.last, Some(unit_a.kind)) else {
            continue;
        };
        if unit_b.kind == unit_a.kind
            && (unit_b.factor != unit_a.factor || unit_b.offset != unit_a.offset)
            && restates(
                first.value,
                unit_a,
                b.value,
                unit_b,
                written(text, words, b),
            )
        {
            out.push((a, a + 1));
        }
    }
    out
}

/// The unit written right after word `last` of a number, and its last word: "feet", "-foot",
/// "sq ft", "square feet", "km2", "°C". `area_of` is the kind of the unit it restates: "(17,000
/// m)" after square feet is square metres whose superscript was lost.
fn unit_after(
    text: &str,
    words: &[Word],
    last: usize,
    area_of: Option<Kind>,
) -> Option<(Unit, usize)> {
    let next = words.get(last + 1)?;
    let gap = &text[words[last].end..next.start];
    if !matches!(gap, "" | " " | "-" | "\u{a0}" | " °" | "°" | "\u{a0}°") {
        return None;
    }
    if gap.ends_with('°') {
        return match next.folded.as_str() {
            "c" => Some((temperature(1.0, 0.0), last + 1)),
            "f" => Some((temperature(5.0 / 9.0, -32.0), last + 1)),
            _ => None,
        };
    }
    let word = next.folded.as_str();
    if matches!(word, "sq" | "square") {
        let (u, end) = unit_after(text, words, last + 1, None)?;
        return (u.kind == Kind::Length).then_some((square(u), end));
    }
    if word == "km"
        && words.get(last + 2).is_some_and(|h| h.folded == "h")
        && text[next.end..words[last + 2].start] == *"/"
    {
        return Some((
            Unit {
                kind: Kind::Speed,
                factor: 1.0 / 3.6,
                offset: 0.0,
            },
            last + 2,
        ));
    }
    let (_, kind, factor) = UNITS.iter().find(|(w, _, _)| *w == word)?;
    let unit = Unit {
        kind: *kind,
        factor: *factor,
        offset: 0.0,
    };
    if area_of == Some(Kind::Area) && unit.kind == Kind::Length {
        return Some((square(unit), last + 1));
    }
    Some((unit, last + 1))
}

fn square(u: Unit) -> Unit {
    Unit {
        kind: Kind::Area,
        factor: u.factor * u.factor,
        offset: 0.0,
    }
}

/// A temperature unit: degrees Celsius = (value + offset) × factor.
fn temperature(factor: f64, offset: f64) -> Unit {
    Unit {
        kind: Kind::Temperature,
        factor,
        offset,
    }
}

/// The number as written in the claim (for its last significant digit).
fn written<'a>(text: &'a str, words: &[Word], n: &Number) -> &'a str {
    &text[words[n.first].start..words[n.last].end]
}

/// Is `b` (in `unit_b`, written `b_text`) `a` (in `unit_a`) converted and rounded?
fn restates(a: f64, unit_a: Unit, b: f64, unit_b: Unit, b_text: &str) -> bool {
    let base = (a + unit_a.offset) * unit_a.factor;
    let expected = base / unit_b.factor - unit_b.offset;
    let off = (b - expected).abs();
    off <= CONVERSION_TOLERANCE * expected.abs() || off <= last_digit(b_text) / 2.0
}

/// The place value of the last significant digit written: 1 for "24", 1,000 for "17,000",
/// 0.1 for "3.1".
fn last_digit(written: &str) -> f64 {
    let digits: String = written
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    match digits.split_once('.') {
        Some((_, frac)) => 10f64.powi(-(frac.len() as i32)),
        None => 10f64.powi(digits.len() as i32 - digits.trim_end_matches('0').len() as i32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::words;
    use crate::verify::numbers::numbers;

    fn pairs(t: &str) -> Vec<(f64, f64)> {
        let ws = words(t);
        let ns = numbers(t, &ws);
        conversions(t, &ws, &ns)
            .into_iter()
            .map(|(a, b)| (ns[a].value, ns[b].value))
            .collect()
    }

    #[test]
    fn a_bracketed_number_in_other_units_restates_the_first() {
        assert_eq!(
            pairs("It measures 355 feet (108 m) across, by 80 ft (24 m) high."),
            vec![(355.0, 108.0), (80.0, 24.0)]
        );
        assert_eq!(pairs("These 50-foot (15 m) lengths"), vec![(50.0, 15.0)]);
        assert_eq!(
            pairs("It grew to 180,000 square feet (17,000 m) and 830,000 sq ft (77,000 m2)."),
            vec![(180_000.0, 17_000.0), (830_000.0, 77_000.0)],
            "a lost superscript still reads as square metres"
        );
        assert_eq!(
            pairs("a 5 km (3.1 mi) run at 100 km/h (62 mph)"),
            vec![(5.0, 3.1), (100.0, 62.0)]
        );
        assert_eq!(pairs("It reached 100 °F (38 °C)."), vec![(100.0, 38.0)]);
        assert_eq!(
            pairs("a 3 ft (1 m) wall"),
            vec![(3.0, 1.0)],
            "rounded to one digit"
        );
    }

    #[test]
    fn a_wrong_conversion_or_an_aside_is_not_a_restatement() {
        assert!(
            pairs("It measures 355 feet (150 m) across.").is_empty(),
            "wrong arithmetic"
        );
        assert!(pairs("It is 355 feet (about a third) high.").is_empty());
        assert!(pairs("He ran 5 km (3 laps) in 20 minutes (a record).").is_empty());
        assert!(
            pairs("a 12 m (12 m) wall").is_empty(),
            "the same unit twice"
        );
        assert!(
            pairs("It weighs 5 kg (11 mi).").is_empty(),
            "units of different kinds"
        );
    }
}
