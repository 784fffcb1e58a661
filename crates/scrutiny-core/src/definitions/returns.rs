//! Returns: the figures a force reports that are not in its crime records
//! (`definitions/returns.toml`), the call channels whose handling is computed
//! from per-call records, and the tables a plan shows them in.

use serde::Deserialize;

use crate::{Error, PeriodKind};

/// How a return's monthly values add up over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    /// How many in the month: a period's figure is the sum of its months.
    Count,
    /// How many at the end of the month: a period's figure is its last month's.
    Level,
}

/// One measure a return may supply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnMeasure {
    pub id: String,
    pub title: String,
    pub kind: ValueKind,
    /// What one counted thing is called in a sentence.
    pub noun: String,
    /// What a value means, printed under the tables that show it.
    pub means: String,
}

/// A call channel (999, 101) whose handling is computed from per-call records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub id: String,
    pub title: String,
    pub means: String,
}

/// The return measures and call channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDefinitions {
    pub id: String,
    pub version: String,
    pub measures: Vec<ReturnMeasure>,
    pub channels: Vec<Channel>,
}

impl ReturnDefinitions {
    pub fn parse(text: &str) -> Result<ReturnDefinitions, Error> {
        let raw: RawReturns = toml::from_str(text).map_err(|error| Error::definition(error.to_string()))?;
        let mut measures: Vec<ReturnMeasure> = Vec::new();
        for measure in raw.measure {
            if measure.id.is_empty()
                || !measure.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(Error::definition(format!(
                    "measure id '{}' must be lower-case letters, digits and hyphens",
                    measure.id
                )));
            }
            if measures.iter().any(|other| other.id == measure.id) {
                return Err(Error::definition(format!("measure id '{}' is used twice", measure.id)));
            }
            measures.push(ReturnMeasure {
                id: measure.id,
                title: measure.title,
                kind: measure.kind,
                noun: measure.noun,
                means: measure.means,
            });
        }
        let mut channels: Vec<Channel> = Vec::new();
        for channel in raw.channel {
            if channels.iter().any(|other| other.id == channel.id) {
                return Err(Error::definition(format!("channel id '{}' is used twice", channel.id)));
            }
            channels.push(Channel { id: channel.id, title: channel.title, means: channel.means });
        }
        Ok(ReturnDefinitions { id: raw.id, version: raw.version, measures, channels })
    }

    pub fn measure(&self, id: &str) -> Option<&ReturnMeasure> {
        self.measures.iter().find(|measure| measure.id == id)
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|channel| channel.id == id)
    }
}

/// A row of a call-handling table, computed from per-call records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallRow {
    Received,
    Answered,
    NotAnswered,
    PctNotAnswered,
    AverageSeconds,
    PctUnder10s,
}

impl CallRow {
    pub const ALL: [CallRow; 6] = [
        Self::Received,
        Self::Answered,
        Self::NotAnswered,
        Self::PctNotAnswered,
        Self::AverageSeconds,
        Self::PctUnder10s,
    ];

    /// The row heading, as the seed paper prints it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Received => "Calls Received",
            Self::Answered => "Calls Answered",
            Self::NotAnswered => "Calls Not Answered",
            Self::PctNotAnswered => "% Not Answered",
            Self::AverageSeconds => "Average Time To Answer",
            Self::PctUnder10s => "% Answered Under 10 Seconds",
        }
    }
}

/// How a returns table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// A row per measure, a column per month (the OCG and contact tables).
    MonthsAsColumns,
    /// A row per month, a column per measure (the Fatal 4 table).
    MonthsAsRows,
    /// A row per measure: the period, the same period last year, % and number change.
    Comparison,
}

/// What a returns table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableContent {
    /// Return measures, optionally with a total (counts only).
    Values { measures: Vec<String>, total: Option<String> },
    /// Call handling of one channel, computed from per-call records.
    Calls { channel: String, rows: Vec<CallRow> },
}

/// A table of returns in a plan, under one of its priorities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsTable {
    pub id: String,
    pub priority: String,
    pub title: String,
    /// The months shown: the period of this kind ending with the paper's month…
    pub months: PeriodKind,
    /// …or this many months before it (a return that arrives a month late).
    pub lag: u32,
    pub layout: Layout,
    pub content: TableContent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReturns {
    id: String,
    version: String,
    #[serde(default)]
    channel: Vec<RawChannel>,
    #[serde(default)]
    measure: Vec<RawMeasure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    id: String,
    title: String,
    means: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: String,
    title: String,
    kind: ValueKind,
    noun: String,
    means: String,
}

/// A `[[returns_table]]` of a plan file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReturnsTable {
    id: String,
    priority: String,
    title: String,
    months: String,
    #[serde(default)]
    lag: u32,
    layout: Layout,
    #[serde(default)]
    measures: Vec<String>,
    #[serde(default)]
    total: Option<String>,
    #[serde(default)]
    calls: Option<String>,
    #[serde(default)]
    rows: Option<Vec<CallRow>>,
}

impl RawReturnsTable {
    pub(crate) fn priority(&self) -> &str {
        &self.priority
    }

    pub(crate) fn compile(self, returns: &ReturnDefinitions) -> Result<ReturnsTable, Error> {
        let context = |message: String| Error::definition(format!("returns table '{}': {message}", self.id));
        let months: PeriodKind = self.months.parse().map_err(|error: Error| context(error.message().to_string()))?;
        if self.lag > 12 {
            return Err(context(format!("lag {} is more than 12 months", self.lag)));
        }
        if !matches!(months, PeriodKind::Quarter | PeriodKind::Fytd | PeriodKind::RollingYear) {
            return Err(context(format!("months '{}' must be quarter, fytd or rolling-year", self.months)));
        }
        let content = match (&self.calls, self.measures.is_empty()) {
            (Some(channel), true) => {
                if returns.channel(channel).is_none() {
                    return Err(context(format!("unknown call channel '{channel}'")));
                }
                if self.layout != Layout::MonthsAsColumns {
                    return Err(context("a calls table has months as columns".to_string()));
                }
                if self.total.is_some() {
                    return Err(context("a calls table has no total".to_string()));
                }
                TableContent::Calls {
                    channel: channel.clone(),
                    rows: self.rows.clone().unwrap_or(CallRow::ALL.to_vec()),
                }
            }
            (None, false) => {
                if self.rows.is_some() {
                    return Err(context("rows apply only to a calls table".to_string()));
                }
                for id in &self.measures {
                    let measure =
                        returns.measure(id).ok_or_else(|| context(format!("unknown return measure '{id}'")))?;
                    if self.total.is_some() && measure.kind == ValueKind::Level {
                        return Err(context(format!("'{id}' is a level, which cannot be totalled")));
                    }
                }
                if self.total.is_some() && self.layout == Layout::Comparison {
                    return Err(context("a comparison table has no total".to_string()));
                }
                TableContent::Values { measures: self.measures.clone(), total: self.total.clone() }
            }
            _ => return Err(context("give either measures or calls".to_string())),
        };
        Ok(ReturnsTable {
            id: self.id,
            priority: self.priority,
            title: self.title,
            months,
            lag: self.lag,
            layout: self.layout,
            content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::Definitions;

    #[test]
    fn builtin_returns_are_valid() {
        let definitions = Definitions::builtin();
        assert!(definitions.returns.measure("ocg-live").is_some_and(|measure| measure.kind == ValueKind::Level));
        assert!(definitions.returns.channel("999").is_some());
        let plan = definitions.plan("making-kent-safer").unwrap();
        assert!(
            plan.returns_tables.iter().any(
                |table| table.content == TableContent::Calls { channel: "999".into(), rows: CallRow::ALL.to_vec() }
            )
        );
    }

    fn table(body: &str) -> Result<ReturnsTable, Error> {
        let raw: RawReturnsTable = toml::from_str(body).map_err(|error| Error::definition(error.to_string()))?;
        raw.compile(&Definitions::builtin().returns)
    }

    #[test]
    fn bad_tables_are_refused_with_the_reason() {
        let head = "id = \"t\"\npriority = \"p\"\ntitle = \"T\"\n";
        let unknown = table(&format!("{head}months = \"quarter\"\nlayout = \"comparison\"\nmeasures = [\"nope\"]\n"));
        assert!(unknown.unwrap_err().message().contains("unknown return measure 'nope'"));
        let level_total = table(&format!(
            "{head}months = \"quarter\"\nlayout = \"months-as-rows\"\nmeasures = [\"ocg-live\"]\ntotal = \"Total\"\n"
        ));
        assert!(level_total.unwrap_err().message().contains("cannot be totalled"));
        let channel = table(&format!("{head}months = \"fytd\"\nlayout = \"months-as-columns\"\ncalls = \"112\"\n"));
        assert!(channel.unwrap_err().message().contains("unknown call channel '112'"));
        let month =
            table(&format!("{head}months = \"month\"\nlayout = \"comparison\"\nmeasures = [\"road-deaths\"]\n"));
        assert!(month.unwrap_err().message().contains("must be quarter, fytd or rolling-year"));
        assert!(ReturnDefinitions::parse("id = \"r\"\nversion = \"1\"\n[[measure]]\nid = \"A b\"\ntitle = \"x\"\nkind = \"count\"\nnoun = \"x\"\nmeans = \"x\"\n").is_err());
    }
}
