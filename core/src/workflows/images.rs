//! Image matching: reads a project's version files and proposes an exact image tag for its runtime.
//! Every finding keeps its file and line; files that disagree are reported as conflicts; files that
//! cannot be parsed are reported by name. Never `latest`; a bare major only when the project gives only
//! a major, and then the answer says so.

use std::collections::BTreeMap;

use kubegate_proto::v1 as pb;

/// Reads a project file by its relative path; `None` when absent.
pub trait Files {
    /// The file's text, or `None` when it does not exist. An error when it exists but cannot be read.
    fn read(&self, name: &str) -> Result<Option<String>, String>;
}

/// The files this module reads, in the order they are reported.
pub const VERSION_FILES: [&str; 13] = [
    "mise.toml",
    ".tool-versions",
    ".nvmrc",
    ".node-version",
    "package.json",
    ".python-version",
    "go.mod",
    "Cargo.toml",
    "rust-toolchain.toml",
    "Gemfile",
    "pom.xml",
    "build.gradle",
    "Dockerfile",
];

fn finding(runtime: &str, version: &str, file: &str, line: usize) -> pb::RuntimeVersion {
    pb::RuntimeVersion {
        runtime: canonical_runtime(runtime).to_string(),
        version: version.trim().to_string(),
        file: file.to_string(),
        line: i32::try_from(line).unwrap_or(i32::MAX),
    }
}

fn canonical_runtime(name: &str) -> &str {
    match name.trim().to_ascii_lowercase().as_str() {
        "nodejs" | "node" => "node",
        "python" | "python3" => "python",
        "golang" | "go" => "go",
        "ruby" => "ruby",
        "rust" => "rust",
        "java" | "openjdk" | "temurin" | "eclipse-temurin" => "java",
        _ => name.trim(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).map_or(1, |i| i + 1)
}

fn unquote(value: &str) -> &str {
    value.trim().trim_matches(|c| c == '"' || c == '\'')
}

/// A TOML error as a line number: the parser's own message may quote the file.
fn toml_error(text: &str, error: &toml::de::Error) -> String {
    let line = error.span().map_or(1, |span| text[..span.start.min(text.len())].lines().count().max(1));
    format!("line {line}: not valid TOML")
}

/// Parses one file; malformed content is an error naming the line and what is wrong, never quoting it
/// (the file is on a claim a workload can write, and could be a link to a secret).
fn parse(file: &str, text: &str) -> Result<Vec<pb::RuntimeVersion>, String> {
    let mut found = Vec::new();
    match file {
        ".nvmrc" | ".node-version" | ".python-version" => {
            let runtime = if file == ".python-version" { "python" } else { "node" };
            let (index, line) = text
                .lines()
                .enumerate()
                .map(|(i, l)| (i, l.trim()))
                .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
                .ok_or("the file is empty")?;
            let version = line.trim_start_matches('v');
            if !version.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                return Err(format!("line {}: not a version", index + 1));
            }
            found.push(finding(runtime, version, file, index + 1));
        }
        ".tool-versions" => {
            for (i, line) in text.lines().enumerate() {
                let line = line.split('#').next().unwrap_or_default().trim();
                if line.is_empty() {
                    continue;
                }
                let mut words = line.split_whitespace();
                match (words.next(), words.next()) {
                    (Some(tool), Some(version)) => found.push(finding(tool, version, file, i + 1)),
                    _ => return Err(format!("line {}: expected \"<tool> <version>\"", i + 1)),
                }
            }
        }
        "mise.toml" => {
            let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
            if let Some(tools) = table.get("tools").and_then(toml::Value::as_table) {
                for (tool, value) in tools {
                    let version = match value {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Array(a) => {
                            a.first().and_then(|v| v.as_str()).unwrap_or_default().to_string()
                        }
                        toml::Value::Table(t) => {
                            t.get("version").and_then(toml::Value::as_str).unwrap_or_default().to_string()
                        }
                        other => other.to_string(),
                    };
                    if version.is_empty() {
                        return Err(format!("tools.{tool}: no version"));
                    }
                    found.push(finding(tool, &version, file, line_of(text, tool)));
                }
            }
        }
        "package.json" => {
            let json: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("line {}: not valid JSON", e.line()))?;
            if let Some(node) = json.pointer("/engines/node").and_then(serde_json::Value::as_str) {
                found.push(finding("node", node, file, line_of(text, "\"node\"")));
            }
        }
        "go.mod" => {
            for (i, line) in text.lines().enumerate() {
                let words: Vec<&str> = line.split_whitespace().collect();
                match words.as_slice() {
                    ["go", version, ..] => found.push(finding("go", version, file, i + 1)),
                    ["toolchain", version, ..] => {
                        found.push(finding("go", version.trim_start_matches("go"), file, i + 1));
                    }
                    _ => {}
                }
            }
            if !text.lines().any(|l| l.trim_start().starts_with("module ")) {
                return Err("no module line".into());
            }
        }
        "Cargo.toml" => {
            let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
            let version = table
                .get("package")
                .and_then(|p| p.get("rust-version"))
                .or_else(|| {
                    table.get("workspace").and_then(|w| w.get("package")).and_then(|p| p.get("rust-version"))
                })
                .and_then(toml::Value::as_str);
            if let Some(version) = version {
                found.push(finding("rust", version, file, line_of(text, "rust-version")));
            }
        }
        "rust-toolchain.toml" => {
            let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
            if let Some(channel) =
                table.get("toolchain").and_then(|t| t.get("channel")).and_then(toml::Value::as_str)
                && channel.chars().next().is_some_and(|c| c.is_ascii_digit())
            {
                found.push(finding("rust", channel, file, line_of(text, "channel")));
            }
        }
        "Gemfile" => {
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("ruby ") {
                    let version = unquote(rest.split(',').next().unwrap_or_default());
                    if version.is_empty() {
                        return Err(format!("line {}: ruby without a version", i + 1));
                    }
                    found.push(finding("ruby", version.trim_start_matches("~> "), file, i + 1));
                }
            }
        }
        "pom.xml" => {
            if !text.contains("<project") {
                return Err("no <project> element".into());
            }
            for tag in ["maven.compiler.release", "java.version", "maven.compiler.source", "release"] {
                let open = format!("<{tag}>");
                if let Some(start) = text.find(&open) {
                    let rest = &text[start + open.len()..];
                    let end = rest.find('<').ok_or_else(|| format!("<{tag}> is not closed"))?;
                    let version = rest[..end].trim();
                    if !version.starts_with("${") {
                        found.push(finding("java", version, file, line_of(text, &open)));
                        break;
                    }
                }
            }
        }
        "build.gradle" => {
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                let version = if let Some(rest) = line.split("JavaLanguageVersion.of(").nth(1) {
                    rest.split(')').next().map(str::trim)
                } else if line.starts_with("sourceCompatibility") || line.starts_with("targetCompatibility") {
                    line.split('=')
                        .nth(1)
                        .map(|v| unquote(v.trim().trim_start_matches("JavaVersion.VERSION_")))
                } else {
                    None
                };
                if let Some(version) = version.filter(|v| !v.is_empty()) {
                    found.push(finding("java", &version.replace('_', "."), file, i + 1));
                    break;
                }
            }
        }
        "Dockerfile" => {
            for (i, line) in text.lines().enumerate() {
                let words: Vec<&str> = line.split_whitespace().collect();
                let image = match words.as_slice() {
                    [from, rest @ ..] if from.eq_ignore_ascii_case("FROM") => {
                        rest.iter().find(|w| !w.starts_with("--")).copied()
                    }
                    _ => None,
                };
                let Some(image) = image else { continue };
                let (repository, tag) = match image.rsplit_once(':') {
                    Some((r, t)) if !t.contains('/') => (r, t),
                    _ => (image, ""),
                };
                let runtime = canonical_runtime(repository.rsplit('/').next().unwrap_or(repository));
                if ["node", "python", "go", "ruby", "rust", "java"].contains(&runtime) && !tag.is_empty() {
                    let version = tag.split('-').next().unwrap_or(tag);
                    found.push(finding(runtime, version, file, i + 1));
                }
            }
        }
        _ => {}
    }
    Ok(found)
}

/// The numeric version a finding pins: "20.11.0" from "v20.11.0", "20" from ">=20", "3.12" from "~3.12".
fn exact(version: &str) -> Option<String> {
    let v = version.trim().trim_start_matches(['v', '=', '^', '~', '>', ' ']).trim_start_matches("go");
    let digits: String = v.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let digits = digits.trim_end_matches('.').to_string();
    (!digits.is_empty()).then_some(digits)
}

fn image_for(runtime: &str, version: &str) -> Option<String> {
    Some(match runtime {
        "node" => format!("node:{version}-alpine"),
        "python" => format!("python:{version}-slim"),
        "go" => format!("golang:{version}"),
        "ruby" => format!("ruby:{version}-slim"),
        "rust" => format!("rust:{version}"),
        "java" => format!("eclipse-temurin:{version}"),
        _ => return None,
    })
}

/// Reads every version file and proposes an image.
pub fn match_image(files: &dyn Files) -> pb::MatchImageResponse {
    let mut answer = pb::MatchImageResponse::default();
    for file in VERSION_FILES {
        match files.read(file) {
            Ok(None) => {}
            Ok(Some(text)) => match parse(file, &text) {
                Ok(found) => answer.found.extend(found),
                Err(error) => answer.malformed.push(pb::MalformedFile { file: file.into(), error }),
            },
            Err(error) => answer.malformed.push(pb::MalformedFile { file: file.into(), error }),
        }
    }
    // Conflicts: one runtime, different pinned versions (a range and an exact version that agree on the
    // numbers are not a conflict).
    let mut by_runtime: BTreeMap<&str, Vec<&pb::RuntimeVersion>> = BTreeMap::new();
    for f in &answer.found {
        by_runtime.entry(f.runtime.as_str()).or_default().push(f);
    }
    for (runtime, findings) in &by_runtime {
        let versions: Vec<String> = findings.iter().filter_map(|f| exact(&f.version)).collect();
        let disagree = versions
            .iter()
            .any(|a| versions.iter().any(|b| !(a.starts_with(b.as_str()) || b.starts_with(a.as_str()))));
        if disagree {
            answer.conflicts.push(pb::VersionConflict {
                runtime: (*runtime).to_string(),
                findings: findings.iter().map(|f| (*f).clone()).collect(),
            });
        }
    }
    // The runtime: the first one found that has an image; within it, the most precise version.
    let chosen = answer
        .found
        .iter()
        .filter(|f| image_for(&f.runtime, "1").is_some() && exact(&f.version).is_some())
        .fold(None::<&pb::RuntimeVersion>, |best, f| match best {
            None => Some(f),
            Some(b) if b.runtime == f.runtime => {
                let precision =
                    |v: &pb::RuntimeVersion| exact(&v.version).map_or(0, |e| e.matches('.').count());
                // More precise wins; within one file, a later line of equal precision (go.mod's
                // `toolchain` after `go`) wins too.
                let later_in_file = f.file == b.file && precision(f) == precision(b);
                Some(if precision(f) > precision(b) || later_in_file { f } else { b })
            }
            Some(b) => Some(b),
        })
        .cloned();
    if let Some(chosen) = chosen {
        let version = exact(&chosen.version).unwrap_or_default();
        answer.major_only = !version.contains('.');
        if answer.major_only {
            answer.notes.push(format!(
                "{} gives only the major version {} of {}; the image tag is that major",
                chosen.file, version, chosen.runtime
            ));
        }
        if version != chosen.version.trim_start_matches('v') {
            answer.notes.push(format!("{}: {:?} is a range; used {version}", chosen.file, chosen.version));
        }
        if answer.conflicts.iter().any(|c| c.runtime == chosen.runtime) {
            answer.notes.push(format!(
                "files disagree about {}: used the most precise, from {} line {}",
                chosen.runtime, chosen.file, chosen.line
            ));
        }
        answer.image = image_for(&chosen.runtime, &version).unwrap_or_default();
        answer.runtime = chosen.runtime.clone();
        answer.chosen = Some(chosen);
    } else if answer.found.is_empty() {
        answer.notes.push("no runtime version found in the project's version files".into());
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Map(Vec<(&'static str, &'static str)>);
    impl Files for Map {
        fn read(&self, name: &str) -> Result<Option<String>, String> {
            Ok(self.0.iter().find(|(n, _)| *n == name).map(|(_, t)| t.to_string()))
        }
    }

    fn matched(files: Vec<(&'static str, &'static str)>) -> pb::MatchImageResponse {
        match_image(&Map(files))
    }

    #[test]
    fn each_file_kind_gives_an_exact_image() {
        let cases: Vec<(&str, &str, &str)> = vec![
            (".nvmrc", "v20.11.0\n", "node:20.11.0-alpine"),
            (".node-version", "18.19.1", "node:18.19.1-alpine"),
            (".python-version", "3.12.0\n", "python:3.12.0-slim"),
            (".tool-versions", "# tools\nnodejs 20.11.0\n", "node:20.11.0-alpine"),
            ("mise.toml", "[tools]\npython = \"3.11.7\"\n", "python:3.11.7-slim"),
            ("package.json", "{\"name\":\"x\",\"engines\":{\"node\":\">=18.17.0\"}}", "node:18.17.0-alpine"),
            ("go.mod", "module example.com/x\n\ngo 1.21\n", "golang:1.21"),
            ("Cargo.toml", "[package]\nname = \"x\"\nrust-version = \"1.75\"\n", "rust:1.75"),
            ("Gemfile", "source 'https://rubygems.org'\nruby '3.2.2'\n", "ruby:3.2.2-slim"),
            (
                "pom.xml",
                "<project><properties><maven.compiler.release>21</maven.compiler.release></properties></project>",
                "eclipse-temurin:21",
            ),
            (
                "build.gradle",
                "java {\n  toolchain { languageVersion = JavaLanguageVersion.of(17) }\n}\n",
                "eclipse-temurin:17",
            ),
            ("Dockerfile", "FROM node:20.11.0-alpine AS build\nRUN npm ci\n", "node:20.11.0-alpine"),
        ];
        for (file, text, image) in cases {
            let answer = matched(vec![(file, text)]);
            assert_eq!(answer.image, image, "{file}");
            let chosen = answer.chosen.expect("chosen");
            assert_eq!(chosen.file, file);
            assert!(chosen.line >= 1);
            assert!(answer.malformed.is_empty(), "{file}: {:?}", answer.malformed);
        }
    }

    #[test]
    fn lines_are_reported_and_a_bare_major_says_so() {
        let answer = matched(vec![("go.mod", "module x\n\ngo 1.22.1\ntoolchain go1.22.3\n")]);
        assert_eq!(answer.found.iter().map(|f| f.line).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(answer.image, "golang:1.22.3");
        let answer = matched(vec![(".nvmrc", "20\n")]);
        assert_eq!(answer.image, "node:20-alpine");
        assert!(answer.major_only);
        assert!(answer.notes[0].contains("only the major"), "{:?}", answer.notes);
    }

    #[test]
    fn conflicts_are_reported_not_hidden() {
        let answer =
            matched(vec![(".nvmrc", "18.19.0"), ("package.json", "{\"engines\":{\"node\":\"20.11.0\"}}")]);
        assert_eq!(answer.conflicts.len(), 1);
        assert_eq!(answer.conflicts[0].runtime, "node");
        assert_eq!(answer.conflicts[0].findings.len(), 2);
        let agreeing =
            matched(vec![(".nvmrc", "20"), ("package.json", "{\"engines\":{\"node\":\">=20.11.0\"}}")]);
        assert!(agreeing.conflicts.is_empty(), "a major and a version of it agree");
        assert_eq!(agreeing.image, "node:20.11.0-alpine");
    }

    #[test]
    fn malformed_files_are_named() {
        let answer = matched(vec![
            ("package.json", "{\"engines\": {"),
            ("mise.toml", "[tools\npython ="),
            (".tool-versions", "nodejs\n"),
            (".python-version", "three\n"),
            (".nvmrc", "20.1.0"),
        ]);
        let named: Vec<&str> = answer.malformed.iter().map(|m| m.file.as_str()).collect();
        assert_eq!(named, ["mise.toml", ".tool-versions", "package.json", ".python-version"]);
        assert_eq!(answer.image, "node:20.1.0-alpine", "the good file still counts");
        assert!(matched(vec![]).image.is_empty());
    }
}
