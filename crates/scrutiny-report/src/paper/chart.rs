//! Charts as SVG (plotters, no fonts needed): this period's months as a solid
//! black line with round markers, the same months a year earlier as a grey
//! line with square markers, so the two read apart in greyscale; axes
//! labelled; months with no data left as gaps. Calendar years (the
//! end-of-term report) are dark grey bars outlined in black, each labelled
//! with its figure; a year not supplied has no bar and says so.

use plotters::prelude::*;

use super::{Chart, ChartStyle};
use scrutiny_core::narrative::thousands;

/// A sentence saying what the chart shows, for its alternative text.
pub fn describe(chart: &Chart) -> String {
    if chart.style == ChartStyle::YearlyBars {
        return describe_years(chart);
    }
    let known: Vec<(usize, f64)> =
        chart.current.iter().enumerate().filter_map(|(index, value)| value.map(|value| (index, value))).collect();
    let (Some(first), Some(last)) = (chart.months.first(), chart.months.last()) else { return chart.title.clone() };
    let Some((low_index, low)) = known.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return format!("{}: no figures are supplied for these months.", chart.title);
    };
    let (high_index, high) = known.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1)).expect("not empty");
    let format =
        |value: f64| if chart.y_label.contains('%') { format!("{value:.1}%") } else { thousands(value.round() as u64) };
    let missing = chart.current.iter().filter(|value| value.is_none()).count();
    let mut text = format!(
        "Line chart of {} each month from {} to {}, with the same months a year earlier. Highest: {} in {}; lowest: {} in {}.",
        chart.y_label.to_lowercase(),
        first.long_name(),
        last.long_name(),
        format(high),
        chart.months[high_index].long_name(),
        format(low),
        chart.months[low_index].long_name()
    );
    if missing > 0 {
        text.push_str(&format!(" {missing} months are not supplied and left blank."));
    }
    text
}

fn format_value(chart: &Chart, value: f64) -> String {
    if chart.y_label.contains('%') { format!("{value:.1}%") } else { thousands(value.round() as u64) }
}

/// The alternative text of a bar chart of calendar years.
fn describe_years(chart: &Chart) -> String {
    let (Some(first), Some(last)) = (chart.months.first(), chart.months.last()) else { return chart.title.clone() };
    let known: Vec<(i32, f64)> = chart
        .months
        .iter()
        .zip(&chart.current)
        .filter_map(|(month, value)| value.map(|value| (month.year(), value)))
        .collect();
    let Some(low) = known.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return format!("{}: no year is supplied.", chart.title);
    };
    let high = known.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1)).expect("not empty");
    let mut text = format!(
        "Bar chart of {} each calendar year from {} to {}. Highest: {} in {}; lowest: {} in {}.",
        chart.y_label.to_lowercase(),
        first.year(),
        last.year(),
        format_value(chart, high.1),
        high.0,
        format_value(chart, low.1),
        low.0
    );
    let missing: Vec<i32> = chart
        .months
        .iter()
        .zip(&chart.current)
        .filter(|(_, value)| value.is_none())
        .map(|(month, _)| month.year())
        .collect();
    if !missing.is_empty() {
        text.push_str(&format!(
            " {} {} not supplied and {} no bar.",
            scrutiny_core::narrative::year_list(&missing),
            if missing.len() == 1 { "is" } else { "are" },
            if missing.len() == 1 { "has" } else { "have" }
        ));
    }
    text
}

fn segments(values: &[Option<f64>]) -> Vec<Vec<(i32, f64)>> {
    let mut segments = vec![Vec::new()];
    for (index, value) in values.iter().enumerate() {
        match value {
            Some(value) => segments.last_mut().expect("one segment").push((index as i32, *value)),
            None if !segments.last().expect("one segment").is_empty() => segments.push(Vec::new()),
            None => {}
        }
    }
    segments.into_iter().filter(|segment| !segment.is_empty()).collect()
}

/// The chart as a standalone SVG document.
pub fn svg(chart: &Chart) -> String {
    svg_with_font(chart, "sans-serif")
}

/// The chart with its text set in `family` (a PDF embeds only the fonts it has).
pub fn svg_with_font(chart: &Chart, family: &str) -> String {
    let mut out = String::new();
    if let Err(error) = draw(chart, family, &mut out) {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"40\"><text x=\"10\" y=\"25\">chart unavailable: {error}</text></svg>"
        );
    }
    // Give the drawing a title and description for assistive technology.
    let title = format!("<title>{}</title><desc>{}</desc>", escape(&chart.title), escape(&chart.alt));
    match out.find('>') {
        Some(end) => {
            let (head, tail) = out.split_at(end + 1);
            format!("{}{title}{tail}", head.replacen("<svg ", "<svg role=\"img\" ", 1))
        }
        None => out,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn draw(chart: &Chart, family: &str, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    if chart.style == ChartStyle::YearlyBars {
        return draw_years(chart, family, out);
    }
    let root = SVGBackend::with_string(out, (720, 320)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = chart.current.iter().chain(&chart.last_year).flatten().copied().fold(0.0f64, f64::max);
    let top = if top <= 0.0 { 1.0 } else { top * 1.12 };
    let months = chart.months.clone();
    let count = months.len() as i32;
    let percent = chart.y_label.contains('%');
    let mut context = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(-1..count, 0.0..top)?;
    context
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .y_labels(8)
        .x_labels(count as usize + 1)
        .x_label_formatter(&|index| {
            months
                .get(*index as usize)
                .filter(|_| *index % 3 == (count - 1) % 3)
                .map(|month| format!("{} {}", &month.month_name()[..3], month.year() % 100))
                .unwrap_or_default()
        })
        .y_label_formatter(&|value| if percent { format!("{value:.0}%") } else { thousands(value.round() as u64) })
        .x_desc("Month")
        .y_desc(chart.y_label.as_str())
        .label_style((family, 13))
        .axis_desc_style((family, 14))
        .draw()?;
    let grey = RGBColor(120, 120, 120);
    for (index, segment) in segments(&chart.last_year).into_iter().enumerate() {
        let series = context.draw_series(LineSeries::new(segment.clone(), grey.stroke_width(2)))?;
        if index == 0 {
            series
                .label("Same month a year earlier")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey.stroke_width(2)));
        }
        context.draw_series(
            segment
                .into_iter()
                .map(|(x, y)| EmptyElement::at((x, y)) + Rectangle::new([(-3, -3), (3, 3)], grey.filled())),
        )?;
    }
    for (index, segment) in segments(&chart.current).into_iter().enumerate() {
        let series = context.draw_series(LineSeries::new(segment.clone(), BLACK.stroke_width(3)))?;
        if index == 0 {
            series
                .label("This period")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(3)));
        }
        context.draw_series(segment.into_iter().map(|(x, y)| Circle::new((x, y), 3, BLACK.filled())))?;
    }
    context
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((family, 13))
        .draw()?;
    root.present()?;
    Ok(())
}

fn draw_years(chart: &Chart, family: &str, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, (720, 320)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = chart.current.iter().flatten().copied().fold(0.0f64, f64::max);
    let top = if top <= 0.0 { 1.0 } else { top * 1.15 };
    let years: Vec<i32> = chart.months.iter().map(|month| month.year()).collect();
    let count = years.len();
    let percent = chart.y_label.contains('%');
    let mut context = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..count as f64 - 0.5, 0.0..top)?;
    context
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .y_labels(8)
        .x_labels(count)
        .x_label_formatter(&|value| {
            let index = value.round();
            if (value - index).abs() > 1e-6 || index < 0.0 {
                return String::new();
            }
            years.get(index as usize).map(|year| year.to_string()).unwrap_or_default()
        })
        .y_label_formatter(&|value| if percent { format!("{value:.0}%") } else { thousands(value.round() as u64) })
        .x_desc("Calendar year (January – December)")
        .y_desc(chart.y_label.as_str())
        .label_style((family, 13))
        .axis_desc_style((family, 14))
        .draw()?;
    let fill = RGBColor(80, 80, 80);
    for (index, value) in chart.current.iter().enumerate() {
        let centre = index as f64;
        let (label, height) = match value {
            Some(value) => {
                context.draw_series(std::iter::once(Rectangle::new(
                    [(centre - 0.32, 0.0), (centre + 0.32, *value)],
                    fill.filled(),
                )))?;
                (format_value(chart, *value), *value)
            }
            None => ("not supplied".to_string(), 0.0),
        };
        context.draw_series(std::iter::once(Text::new(
            label,
            (centre, height + top * 0.02),
            (family, 13).into_font().color(&BLACK).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )))?;
    }
    root.present()?;
    Ok(())
}
