//! Meeting papers end to end: `scrutiny demo` attaches the generated
//! quarterly paper (set from the demo store, published) and an uploaded
//! draft, and `scrutiny publish` writes the published paper's file into the
//! static portal and nothing of the draft.

use crate::util::{path, poppler, run};

#[test]
fn the_demo_publishes_its_quarterly_paper_and_the_static_portal_carries_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("demo");
    let site = folder.path().join("site");
    let demo = run(&["demo", "--no-serve", "--data", path(&data)], true);
    assert!(String::from_utf8_lossy(&demo.stdout).contains("2 papers (the generated quarterly paper, published"));
    run(&["publish", "--data", path(&data), "--out", path(&site)], true);

    let listing: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("public/papers.json")).unwrap()).unwrap();
    let items = listing["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the published paper: {listing}");
    let paper = &items[0];
    assert_eq!(paper["source"], "generated");
    assert_eq!(paper["category"], "Delivery & Performance");
    assert_eq!(paper["title"], "Delivery & Performance: Making Kent Safer Plan, quarter to July 2024");
    let file = site.join(paper["url"].as_str().unwrap().trim_start_matches('/'));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes.len() as u64, paper["size_bytes"].as_u64().unwrap());
    // The paper the board saw is the quarterly paper's own typesetting of the store's figures.
    let text = poppler("pdftotext", &["-layout", path(&file), "-"]);
    for expected in ["Making Kent Safer Plan", "3 Month total", "May – July 2024"] {
        assert!(text.contains(expected), "the generated paper lacks {expected:?}");
    }
    let page = std::fs::read_to_string(site.join("public/meetings/2/index.html")).unwrap();
    assert!(page.contains(paper["url"].as_str().unwrap()));
    // The uploaded draft is in the governance database but nowhere in the site.
    let mut exported = Vec::new();
    let mut folders = vec![site.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let entry = entry.unwrap().path();
            if entry.is_dir() { folders.push(entry) } else { exported.push(entry) }
        }
    }
    let files: Vec<&std::path::PathBuf> = exported
        .iter()
        .filter(|file| file.extension().is_some_and(|extension| extension == "pdf" || extension == "docx"))
        .collect();
    assert_eq!(files, vec![&file], "the published paper's file and no other");
    for file in &exported {
        let body = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        assert!(!body.contains("HMICFRS update (draft)"), "{} shows the draft paper", file.display());
        assert!(!body.contains("drafted for discussion"), "{} shows the draft's text", file.display());
    }

    // Served under a path, the same portal's links begin there; the file is the same.
    let under = folder.path().join("under");
    let published =
        run(&["publish", "--data", path(&data), "--out", path(&under), "--base-path", "/transparency/scrutiny"], true);
    assert!(String::from_utf8_lossy(&published.stdout).contains("serve the folder at /transparency/scrutiny/"));
    let page = std::fs::read_to_string(under.join("public/meetings/2/index.html")).unwrap();
    let link = format!("href=\"/transparency/scrutiny{}\"", paper["url"].as_str().unwrap());
    assert!(page.contains(&link), "{link} in {page}");
    assert!(!page.contains("href=\"/public"), "no link left at the site's root");
    assert_eq!(std::fs::read(under.join(paper["url"].as_str().unwrap().trim_start_matches('/'))).unwrap(), bytes);
    let refused =
        run(&["publish", "--data", path(&data), "--out", path(&under), "--base-path", "transparency/"], false);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--base-path: 'transparency/' does not start with '/'"));
}
