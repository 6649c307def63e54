//! Inline SVG bar charts: one bar per label with its count written beside it
//! (colour is never the only signal), and the same figures as a table for
//! screen readers and print.

use super::escape;
use std::fmt::Write;

/// Bars drawn per chart; the rest are added up into one last bar.
const MAX_BARS: usize = 25;
const WIDTH: u32 = 760;
const LABEL_WIDTH: u32 = 300;
const BAR_SPACE: u32 = 380;
const ROW: u32 = 24;

pub struct Bar {
    pub label: String,
    pub value: u64,
    /// CSS class of the bar (severity colours); the label names it in words too.
    pub class: &'static str,
}

/// Keeps the first `MAX_BARS - 1` bars and adds the rest up as `other`.
fn capped(bars: Vec<Bar>, other: &str) -> Vec<Bar> {
    if bars.len() <= MAX_BARS {
        return bars;
    }
    let mut kept: Vec<Bar> = Vec::with_capacity(MAX_BARS);
    let mut rest = 0;
    let mut hidden = 0;
    for (i, bar) in bars.into_iter().enumerate() {
        if i < MAX_BARS - 1 {
            kept.push(bar);
        } else {
            rest += bar.value;
            hidden += 1;
        }
    }
    kept.push(Bar {
        label: format!("{other} ({hidden})"),
        value: rest,
        class: "bar-other",
    });
    kept
}

fn shorten(label: &str) -> String {
    const MAX: usize = 44;
    if label.chars().count() <= MAX {
        return label.to_string();
    }
    let mut s: String = label.chars().take(MAX - 1).collect();
    s.push('…');
    s
}

/// A horizontal bar chart in a `<figure>`, with its figures as a table.
pub fn bar_chart(
    out: &mut String,
    id: &str,
    title: &str,
    bars: Vec<Bar>,
    headers: (&str, &str),
    texts: (&str, &str),
) {
    let (as_table, no_data) = texts;
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\"><figcaption id=\"{id}-title\">{}</figcaption>",
        escape(title)
    );
    if bars.is_empty() {
        let _ = write!(out, "<p class=\"empty\">{}</p></figure>", escape(no_data));
        return;
    }
    let bars = capped(bars, "…");
    let max = bars.iter().map(|b| b.value).max().unwrap_or(1).max(1);
    let height = ROW * bars.len() as u32 + 8;
    let _ = write!(
        out,
        "<svg class=\"bars\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-labelledby=\"{id}-title\">"
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4 + ROW * i as u32;
        // Any non-zero count gets a visible bar; zero gets none.
        let w = if bar.value == 0 {
            0
        } else {
            ((bar.value as f64 / max as f64) * BAR_SPACE as f64)
                .round()
                .max(2.0) as u32
        };
        let label = escape(&bar.label);
        let _ = write!(
            out,
            "<g><title>{label}: {v}</title>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{short}</text>\
             <rect class=\"{class}\" x=\"{bx}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\"/>\
             <text x=\"{vx}\" y=\"{ty}\">{v}</text></g>",
            v = bar.value,
            lx = LABEL_WIDTH - 8,
            ty = y + 15,
            short = escape(&shorten(&bar.label)),
            class = bar.class,
            bx = LABEL_WIDTH,
            bh = ROW - 6,
            vx = LABEL_WIDTH + w + 6,
        );
    }
    let _ = write!(
        out,
        "</svg><details><summary>{}</summary><table class=\"data\"><thead><tr>\
         <th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead><tbody>",
        escape(as_table),
        escape(headers.0),
        escape(headers.1)
    );
    for bar in &bars {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
            escape(&bar.label),
            bar.value
        );
    }
    out.push_str("</tbody></table></details></figure>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_bars_are_capped_and_the_rest_added_up() {
        let bars: Vec<Bar> = (0..30)
            .map(|i| Bar {
                label: format!("c{i}"),
                value: 1,
                class: "bar",
            })
            .collect();
        let kept = capped(bars, "other");
        assert_eq!(kept.len(), MAX_BARS);
        assert_eq!(kept.last().unwrap().value, 6);
        assert_eq!(kept.iter().map(|b| b.value).sum::<u64>(), 30);
    }

    #[test]
    fn labels_are_escaped_and_counts_written_out() {
        let mut out = String::new();
        let bar = Bar {
            label: "<b>&".into(),
            value: 7,
            class: "bar",
        };
        bar_chart(&mut out, "c", "T", vec![bar], ("k", "n"), ("t", "none"));
        assert!(out.contains("&lt;b&gt;&amp;"));
        assert!(!out.contains("<b>"));
        assert!(out.contains(">7</text>"));
        assert!(out.contains("<td class=\"num\">7</td>"));
    }
}
