//! Finds the tables of a paper in the three layouts board papers come in:
//! GitHub pipe tables (Scrutiny's Markdown), tab-separated rows (text saved
//! from Word, seed 000), and one cell per tab-indented line with rows
//! separated by blank lines (seed 004). Each cell keeps the line it is on.

use super::number::clean;

#[derive(Debug, Clone)]
pub struct RawCell {
    pub text: String,
    /// 1-based line number.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    /// The cells after the label, one per header column after the first.
    pub cells: Vec<RawCell>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// The header cells after the label column.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// First and last line of the table, 1-based.
    pub first_line: usize,
    pub last_line: usize,
}

/// A table as read, before its rows are aligned with its header.
struct RawTable {
    rows: Vec<Vec<RawCell>>,
    first_line: usize,
    last_line: usize,
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace())
}

fn pipe_cells(line: &str) -> Option<Vec<String>> {
    let trimmed = line.trim();
    if !trimmed.starts_with('|') || trimmed.matches('|').count() < 2 {
        return None;
    }
    let inner = trimmed.trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(|cell| cell.trim().to_string()).collect())
}

fn is_separator(cells: &[String]) -> bool {
    cells.iter().all(|cell| {
        let cell = cell.trim();
        !cell.is_empty() && cell.trim_matches(':').chars().all(|c| c == '-') && cell.contains('-')
    })
}

fn pipe_tables(lines: &[String], used: &mut [bool]) -> Vec<RawTable> {
    let mut tables = Vec::new();
    let mut index = 0;
    while index + 1 < lines.len() {
        let (Some(header), Some(separator)) = (pipe_cells(&lines[index]), pipe_cells(&lines[index + 1])) else {
            index += 1;
            continue;
        };
        if !is_separator(&separator) {
            index += 1;
            continue;
        }
        let start = index;
        let mut rows = vec![header.into_iter().map(|text| RawCell { text, line: start + 1 }).collect::<Vec<_>>()];
        index += 2;
        while index < lines.len() {
            let Some(cells) = pipe_cells(&lines[index]) else { break };
            rows.push(cells.into_iter().map(|text| RawCell { text, line: index + 1 }).collect());
            index += 1;
        }
        for flag in &mut used[start..index] {
            *flag = true;
        }
        tables.push(RawTable { rows, first_line: start + 1, last_line: index });
    }
    tables
}

/// A row of tab-separated cells with a label ("2017\t147081\t27%"), as
/// opposed to a tab-indented single cell ("\tRecorded Crime").
fn tab_cells(line: &str) -> Option<Vec<String>> {
    if !line.contains('\t') {
        return None;
    }
    let cells: Vec<String> = line.split('\t').map(|cell| cell.to_string()).collect();
    let non_empty = cells.iter().filter(|cell| !clean(cell).is_empty()).count();
    if cells.len() < 2 || non_empty == 0 {
        return None;
    }
    if clean(&cells[0]).is_empty() && cells.len() == 2 {
        return None;
    }
    Some(cells)
}

fn is_rule(cells: &[String]) -> bool {
    cells.iter().all(|cell| cell.trim().chars().all(|c| c == '-')) && cells.iter().any(|cell| cell.contains("--"))
}

fn tab_tables(lines: &[String], used: &mut [bool]) -> Vec<RawTable> {
    let mut tables = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if used[index] || tab_cells(&lines[index]).is_none() {
            index += 1;
            continue;
        }
        let start = index;
        let mut rows: Vec<Vec<RawCell>> = Vec::new();
        let mut last = index;
        while index < lines.len() && !used[index] {
            if let Some(cells) = tab_cells(&lines[index]) {
                if !is_rule(&cells) {
                    rows.push(cells.into_iter().map(|text| RawCell { text, line: index + 1 }).collect());
                }
                last = index;
                index += 1;
                continue;
            }
            // A single blank line before a "3-year difference" or total row
            // keeps the table going.
            if is_blank(&lines[index])
                && let Some(next) = lines.get(index + 1).and_then(|line| tab_cells(line))
            {
                let label = clean(&next[0]).to_lowercase();
                if label.contains("difference") || label.contains("total") {
                    index += 1;
                    continue;
                }
            }
            break;
        }
        for flag in &mut used[start..=last] {
            *flag = true;
        }
        if rows.len() >= 2 {
            tables.push(RawTable { rows, first_line: start + 1, last_line: last + 1 });
        }
        index = last + 1;
    }
    tables
}

/// A line holding one cell: tab-indented ("\tRecorded Crime", " \t14773").
fn single_cell(line: &str) -> Option<String> {
    let rest = line.trim_start_matches([' ', '\u{a0}']);
    let rest = rest.strip_prefix('\t')?;
    Some(rest.replace('\t', " "))
}

fn cell_per_line_tables(lines: &[String], used: &mut [bool]) -> Vec<RawTable> {
    // Groups of consecutive cell lines (a row), with their line numbers.
    let mut groups: Vec<(Vec<RawCell>, usize, usize)> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if used[index] || single_cell(&lines[index]).is_none() {
            index += 1;
            continue;
        }
        let start = index;
        let mut cells: Vec<RawCell> = Vec::new();
        while index < lines.len() && !used[index] {
            if let Some(text) = single_cell(&lines[index]) {
                cells.push(RawCell { text, line: index + 1 });
            } else if !is_blank(&lines[index])
                && lines[index].trim().chars().count() <= 20
                && let Some(previous) = cells.last_mut()
            {
                // "\tApril \n2024": a cell broken over two lines.
                previous.text = format!("{} {}", previous.text.trim_end(), lines[index].trim());
            } else {
                break;
            }
            index += 1;
        }
        groups.push((cells, start, index - 1));
    }
    // Blocks: groups separated by exactly one blank line.
    let mut tables = Vec::new();
    let mut block: Vec<(Vec<RawCell>, usize, usize)> = Vec::new();
    let flush = |block: &mut Vec<(Vec<RawCell>, usize, usize)>, tables: &mut Vec<RawTable>, used: &mut [bool]| {
        if let Some(table) = block_table(std::mem::take(block)) {
            for flag in &mut used[table.first_line - 1..table.last_line] {
                *flag = true;
            }
            tables.push(table);
        }
    };
    for group in groups {
        if let Some(previous) = block.last() {
            let gap = group.1 - previous.2 - 1;
            let blank_gap = (previous.2 + 1..group.1).all(|line| is_blank(&lines[line]));
            if gap != 1 || !blank_gap {
                flush(&mut block, &mut tables, used);
            }
        }
        block.push(group);
    }
    flush(&mut block, &mut tables, used);
    tables
}

fn block_table(mut groups: Vec<(Vec<RawCell>, usize, usize)>) -> Option<RawTable> {
    if groups.len() < 2 {
        return None;
    }
    let width = |index: usize, groups: &[(Vec<RawCell>, usize, usize)]| groups[index].0.len();
    // The width of the data rows: that of the second group.
    let mut data_width = width(1, &groups);
    if groups.len() > 2
        && width(0, &groups) + 1 < data_width.min(width(2, &groups))
        && width(1, &groups) == width(2, &groups)
    {
        // A caption group before the header ("Kent SOC").
        groups.remove(0);
        data_width = width(1, &groups);
    }
    if data_width < 2 {
        return None;
    }
    let header_width = width(0, &groups);
    if header_width != data_width && header_width + 1 != data_width {
        return None;
    }
    let mut end = 1;
    while end < groups.len() && groups[end].0.len() == data_width {
        end += 1;
    }
    groups.truncate(end);
    if groups.len() < 2 {
        return None;
    }
    let first_line = groups[0].1 + 1;
    let last_line = groups[groups.len() - 1].2 + 1;
    let rows = groups.into_iter().map(|(cells, _, _)| cells).collect();
    Some(RawTable { rows, first_line, last_line })
}

fn align(raw: RawTable) -> Option<Table> {
    let mut rows = raw.rows.into_iter();
    let mut header = rows.next()?;
    let data: Vec<Vec<RawCell>> = rows.collect();
    let width = {
        let mut counts = std::collections::BTreeMap::new();
        for row in &data {
            *counts.entry(row.len()).or_insert(0usize) += 1;
        }
        counts.into_iter().max_by_key(|(width, count)| (*count, *width)).map(|(width, _)| width)?.max(header.len())
    };
    if width < 2 {
        return None;
    }
    if header.len() + 1 == width {
        header.insert(0, RawCell { text: String::new(), line: header[0].line });
    }
    let header_line = header[0].line;
    while header.len() < width {
        header.push(RawCell { text: String::new(), line: header_line });
    }
    let columns: Vec<String> = header[1..width].iter().map(|cell| clean(&cell.text)).collect();
    let mut rows = Vec::new();
    for mut cells in data {
        if cells.is_empty() {
            continue;
        }
        let label_cell = cells.remove(0);
        // A short row is aligned to the right ("3-year difference\t-33.8%\t-2884").
        while cells.len() < width - 1 {
            cells.insert(0, RawCell { text: String::new(), line: label_cell.line });
        }
        cells.truncate(width - 1);
        rows.push(Row { label: clean(&label_cell.text), cells });
    }
    if rows.is_empty() {
        return None;
    }
    Some(Table { columns, rows, first_line: raw.first_line, last_line: raw.last_line })
}

/// Every table of the paper, in the order they appear.
pub fn find_tables(lines: &[String]) -> Vec<Table> {
    let mut used = vec![false; lines.len()];
    let mut raw = pipe_tables(lines, &mut used);
    raw.extend(tab_tables(lines, &mut used));
    raw.extend(cell_per_line_tables(lines, &mut used));
    let mut tables: Vec<Table> = raw.into_iter().filter_map(align).collect();
    tables.sort_by_key(|table| table.first_line);
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(|line| line.to_string()).collect()
    }

    #[test]
    fn pipe_table() {
        let text = "# T\n\n| | Recorded Crime | Last year |\n|---|---:|---:|\n| May 2024 | 233 | 253 |\n| 3 Month total | 233 | 253 |\n\nText.";
        let tables = find_tables(&lines(text));
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].columns, ["Recorded Crime", "Last year"]);
        assert_eq!(tables[0].rows[1].label, "3 Month total");
        assert_eq!(tables[0].rows[1].cells[1].line, 6);
        assert_eq!((tables[0].first_line, tables[0].last_line), (3, 6));
    }

    #[test]
    fn tab_table_with_a_difference_row_after_a_blank_line() {
        let text = "January - December\tRecorded Crime\t% Change\tNumber change\n2018\t8544\t\t\n2019\t7914\t-7.4%\t-630\n\n3-year difference\t-33.8%\t-2884\n-----\t----\t----\n\nNote.";
        let tables = find_tables(&lines(text));
        assert_eq!(tables.len(), 1);
        let table = &tables[0];
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[2].label, "3-year difference");
        assert_eq!(table.rows[2].cells[0].text, "");
        assert_eq!(table.rows[2].cells[1].text, "-33.8%");
        assert_eq!(table.rows[2].cells[2].line, 5);
    }

    #[test]
    fn one_cell_per_line() {
        let text = "3.8 Robbery\n \tRecorded Crime\n\tLast year\n\n\tMay 2024\n\t87\n\t99\n\n\tJune 2024\n\t98\n\t78\n\n\n\nRobbery offences.";
        let tables = find_tables(&lines(text));
        assert_eq!(tables.len(), 1);
        let table = &tables[0];
        assert_eq!(table.columns, ["Recorded Crime", "Last year"]);
        assert_eq!(table.rows[1].label, "June 2024");
        assert_eq!(table.rows[1].cells[1].text, "78");
        assert_eq!(table.rows[1].cells[1].line, 11);
        let text = "\t101 Contact:\n\tApril \n2024 \n\tMay \n2024\n\n\tCalls Received\n\t21,840\n\t23,382\n";
        let tables = find_tables(&lines(text));
        assert_eq!(tables[0].columns, ["April 2024", "May 2024"]);
    }
}
