//! `scrutiny import actions` and `scrutiny import decisions`: a bad row is a
//! diagnostic naming file:line: field and nothing is imported; a good file
//! imports once and a second run changes nothing.

use crate::util::{path, run, stderr, stdout};

#[test]
fn the_actions_and_decisions_logs_import_once_and_bad_rows_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let bad = dir.path().join("actions-bad.csv");
    std::fs::write(
        &bad,
        "meeting_date,meeting_title,action,status,owner,due_date,discharge_note,discharged_where,discharged_reference\n\
         25/09/2019,Performance and Delivery Board,Update on the impact of the national officer uplift,Open,Chief Constable,4 December,,,\n",
    )
    .unwrap();
    let refused = run(&["import", "actions", path(&bad), "--data", path(&data)], false);
    let message = stderr(&refused);
    assert!(message.contains(&format!("{}:2: due_date: '4 December' is not a date", bad.display())), "{message}");
    assert!(message.contains("nothing was imported"));

    let good = dir.path().join("actions.csv");
    std::fs::write(&good, std::fs::read_to_string(&bad).unwrap().replace("4 December", "04/12/2019")).unwrap();
    let first = run(&["import", "actions", path(&good), "--data", path(&data)], true);
    assert!(stdout(&first).contains("1 added, 0 already stored"), "{}", stdout(&first));
    let second = run(&["import", "actions", path(&good), "--data", path(&data)], true);
    assert!(stdout(&second).contains("0 added, 1 already stored"), "{}", stdout(&second));

    let decisions = dir.path().join("decisions.csv");
    std::fs::write(
        &decisions,
        "reference,originator,title,disclosure,confidential_reason,executive_summary,recommendation,decision,objectives_statement,equality_impact,cfo_name,cfo_comment,cfo_date,chief_executive_name,chief_executive_comment,chief_executive_date,pcc_name,pcc_comment,pcc_date,published\n\
         OPCC.D.024.20,Chief Executive,New Complaints Legislation,Open,,Summary,Recommendation,Decision,,,R Phillips,,28/1/2020,A Harper,,28/1/2020,,,,no\n",
    )
    .unwrap();
    let imported = run(&["import", "decisions", path(&decisions), "--data", path(&data)], true);
    assert!(stdout(&imported).contains("1 added"), "{}", stdout(&imported));
}
