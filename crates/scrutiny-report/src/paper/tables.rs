//! Every table of the paper as data: one CSV file per table and one XLSX
//! workbook with a sheet per table. Figures are written as numbers where
//! they are numbers; "not supplied" and "n/a" stay words.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Paper, PaperKind, Table, slug};

/// The numeric value of a printed cell ("14,773", "-7.9%", "+8.2", "3 sec"), if it is one.
pub fn number(cell: &str) -> Option<f64> {
    let cleaned: String = cell
        .trim()
        .trim_end_matches(" sec")
        .trim_end_matches('%')
        .chars()
        .filter(|character| *character != ',')
        .collect();
    cleaned.trim_start_matches('+').parse::<f64>().ok()
}

/// A table as CSV text.
pub fn csv(table: &Table) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = table.header.clone();
    if let Some(first) = header.first_mut()
        && first.is_empty()
    {
        *first = "Period".to_string();
    }
    writer.write_record(&header).expect("writing to memory");
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                if column == 0 {
                    cell.clone()
                } else {
                    number(cell).map(|value| value.to_string()).unwrap_or_else(|| cell.clone())
                }
            })
            .collect();
        writer.write_record(&cells).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("UTF-8")
}

/// One table of the paper with what is printed around it.
struct Entry<'a> {
    number: &'a str,
    title: &'a str,
    slug: String,
    table: &'a Table,
    notes: Vec<&'a String>,
}

/// Every table of the paper in order: each priority's measures, then its returns.
fn entries(paper: &Paper) -> Vec<Entry<'_>> {
    let mut entries = Vec::new();
    for section in &paper.sections {
        for item in &section.items {
            entries.push(Entry {
                number: &item.number,
                title: &item.title,
                slug: slug(&item.measure_id),
                table: &item.table,
                notes: item.notes.iter().chain(item.sentences.iter()).collect(),
            });
        }
        for item in &section.returns {
            entries.push(Entry {
                number: &item.number,
                title: &item.title,
                slug: format!("returns-{}", slug(&item.id)),
                table: &item.table,
                notes: item.sentences.iter().chain(item.notes.iter()).collect(),
            });
        }
    }
    entries
}

/// (file name, CSV) for every table of the paper; the end-of-term report's
/// are named `term-…`, so both papers can share a folder.
pub fn csv_files(paper: &Paper) -> Vec<(String, String)> {
    let prefix = match paper.kind {
        PaperKind::Quarterly => "",
        PaperKind::Term => "term-",
    };
    entries(paper)
        .into_iter()
        .map(|entry| (format!("{prefix}{}-{}.csv", entry.number.replace('.', "-"), entry.slug), csv(entry.table)))
        .collect()
}

/// Every table in one workbook, a sheet each, with the caption above it.
pub fn xlsx(paper: &Paper) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let number_format = Format::new().set_num_format("#,##0.0##");
    let contents = workbook.add_worksheet();
    contents.set_name("Contents")?;
    contents.write_string_with_format(0, 0, &paper.title, &bold)?;
    contents.write_string(1, 0, format!("{} — {}", paper.force, paper.comparison))?;
    let entries = entries(paper);
    for (line, item) in (3..).zip(entries.iter()) {
        contents.write_string(line, 0, format!("{} {}", item.number, item.title))?;
    }
    for item in &entries {
        let sheet = workbook.add_worksheet();
        let name: String = format!("{} {}", item.number, item.title)
            .chars()
            .filter(|character| !"[]:*?/\\".contains(*character))
            .take(31)
            .collect();
        sheet.set_name(name.trim())?;
        sheet.write_string_with_format(0, 0, format!("Table {}: {}", item.number, item.table.caption), &bold)?;
        for (column, heading) in item.table.header.iter().enumerate() {
            sheet.write_string_with_format(2, column as u16, heading, &bold)?;
        }
        for (row_index, row) in item.table.rows.iter().enumerate() {
            for (column, cell) in row.iter().enumerate() {
                let (row_number, column_number) = (3 + row_index as u32, column as u16);
                match (column, number(cell)) {
                    (0, _) | (_, None) => sheet.write_string(row_number, column_number, cell)?,
                    (_, Some(value)) => {
                        sheet.write_number_with_format(row_number, column_number, value, &number_format)?
                    }
                };
            }
        }
        for (offset, note) in item.notes.iter().enumerate() {
            sheet.write_string(5 + item.table.rows.len() as u32 + offset as u32, 0, note.as_str())?;
        }
        sheet.set_column_width(0, 16)?;
        sheet.set_column_range_width(1, item.table.header.len() as u16, 16)?;
    }
    workbook.save_to_buffer()
}
