//! Family `secret_scan`: the built-in secret scanner (floe-core 0.1.0a1's
//! `BuiltinSecretScanner`) against ours (`secret-scanner`, plugin `builtin`): the
//! findings of file contents (every field of floe's `SecretFinding`), the findings of
//! directory trees with exclude globs, the supported patterns, and the validation of
//! the `SecretPattern` and `SecretFinding` models, on seeded and hand-written inputs.
//!
//! Findings of one file are compared in order (floe's order: pattern by pattern, each
//! over every line). The files of a directory are compared in path order, since floe's
//! order is the file system's.

use std::path::{Path, PathBuf};

use floe_differential::compare::Family;
use floe_differential::reference;
use floe_differential::seed::Seeded;
use floe_plugins_builtin as _;
use floe_registry::prelude::*;
use floe_registry::secret_scan::{SecretFinding, SecretPattern};
use floe_registry::{ModelErrors, from_value};
use serde_json::{Value, json};

const SCRIPT: &str = r#"
from pathlib import Path
from pydantic import ValidationError
from floe_core.governance.secrets import BuiltinSecretScanner
from floe_core.governance.types import SecretFinding, SecretPattern

def errors(e):
    out = []
    for err in e.errors():
        msg = err["msg"]
        if err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        out.append({"path": ".".join(str(p) for p in err["loc"]), "message": msg})
    return out

def pruned(directory, findings, exclude):
    # The files below a folder that an exclude glob matches (which floe still scans).
    out = set()
    for f in findings:
        parts = Path(f["file_path"]).parts
        for depth in range(1, len(parts)):
            folder = directory.joinpath(*parts[:depth])
            if any(p and Path(p).parts and folder.match(p) for p in exclude):
                out.add(f["file_path"])
    return sorted(out)

def answer(case):
    kind = case["kind"]
    try:
        if kind in ("SecretPattern", "SecretFinding"):
            model = {"SecretPattern": SecretPattern, "SecretFinding": SecretFinding}[kind]
            try:
                return {"dump": model.model_validate(case["input"]).model_dump(mode="json")}
            except ValidationError as e:
                return {"errors": errors(e)}
        custom = [SecretPattern(**p) for p in case.get("custom", [])]
        scanner = BuiltinSecretScanner(custom_patterns=custom, allow_secrets=case.get("allow", False))
        if kind == "file":
            found = scanner.scan_file(Path(case["path"]), case["content"])
            return {"findings": [f.model_dump(mode="json") for f in found]}
        if kind == "dir":
            directory = Path(case["directory"])
            found = scanner.scan_directory(directory, case.get("exclude"))
            found = sorted((f.model_dump(mode="json") for f in found), key=lambda f: f["file_path"])
            return {"findings": found, "pruned": pruned(directory, found, case.get("exclude") or [])}
        if kind == "patterns":
            return {"patterns": scanner.get_supported_patterns()}
        raise AssertionError(kind)
    except Exception as e:
        return {"raised": type(e).__name__, "message": str(e)}

print(json.dumps([answer(c) for c in json.load(sys.stdin)]))
"#;

/// floe's masked secret.
const MASK: &str = "********";

// ---------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------

const UPPER_DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
/// Python's `\s` and its neighbours: Rust's `\s` lacks U+001C to U+001F; U+200B and
/// U+180E are whitespace to neither.
const SPACES: [&str; 10] = [
    "", " ", "  ", "\t", "\u{1c}", "\u{1f}", "\u{a0}", "\u{3000}", "\u{200b}", "\u{180e}",
];

fn spaces(s: &mut Seeded) -> String {
    (*s.pick(&SPACES)).to_owned()
}

const QUOTES: [&str; 6] = ["'", "\"", "'", "\"", "`", ""];

fn quote(s: &mut Seeded) -> &'static str {
    let quote: &&'static str = s.pick(&QUOTES);
    quote
}

/// A string of `base` to `base + spread` characters of `alphabet`.
fn text(s: &mut Seeded, alphabet: &str, base: usize, spread: usize) -> String {
    let len = base + s.below(spread);
    s.string(alphabet, len)
}

fn aws_line(s: &mut Seeded) -> String {
    let bounds = [
        "", " ", "=", "'", "\"", "a", "A", "0", "_", "é", "\t", "-", "Z9", "(", "\u{1c}",
    ];
    let before = *s.pick(&bounds);
    let after = *s.pick(&bounds);
    let len = *s.pick(&[16, 16, 16, 15, 17, 20]);
    let mut key = s.string(UPPER_DIGITS, len);
    if s.chance(0.1) {
        key.replace_range(0..1, "a");
    }
    let prefix = *s.pick(&["AKIA", "AKIA", "AKIA", "akia", "ASIA", "AKIa"]);
    let lead = *s.pick(&["", "KEY = ", "aws_access_key_id=", "  - "]);
    format!("{lead}{before}{prefix}{key}{after}")
}

fn assignment(s: &mut Seeded, keys: &[&str]) -> String {
    let key = *s.pick(keys);
    let eq = *s.pick(&["=", "=", "=", ":", "==", ": ="]);
    let q1 = quote(s);
    let q2 = if s.chance(0.85) { q1 } else { quote(s) };
    let value = match s.below(6) {
        0 => String::new(),
        1 => "a'b".to_owned(),
        2 => "p@ss word".to_owned(),
        3 => text(s, BASE64, 0, 12),
        _ => text(s, BASE64, 4, 30),
    };
    let (a, b) = (spaces(s), spaces(s));
    let lead = *s.pick(&["", "  ", "export ", "- ", "\"cfg\": {"]);
    format!("{lead}{key}{a}{eq}{b}{q1}{value}{q2}")
}

const PASSWORD_KEYS: [&str; 16] = [
    "password",
    "passwd",
    "pwd",
    "PASSWORD",
    "db_password",
    "DB_PASSWORD",
    "my_pwd",
    "Password",
    "PASſWORD",
    "passwort",
    "pass_word",
    "pwd_hash",
    "PWD",
    "user.password",
    "\"password\"",
    "password_",
];

const API_KEYS: [&str; 18] = [
    "api_key",
    "apikey",
    "api-key",
    "API_KEY",
    "api_token",
    "api_secret",
    "apisecret",
    "API-SECRET",
    "my_api_key",
    "api__key",
    "api_tokens",
    "apı_key",
    "api_\u{212a}ey",
    "auth_token",
    "x-api-key",
    "API_TOKEN",
    "apiKey",
    "api.key",
];

fn private_key_line(s: &mut Seeded) -> String {
    let sp = |s: &mut Seeded| {
        (*s.pick(&[
            " ", " ", " ", "  ", "\t", "\u{1c}", "\u{a0}", "\u{3000}", "", "\u{200b}",
        ]))
        .to_owned()
    };
    let kind = *s.pick(&["", "", "RSA", "RSA", "EC", "OPENSSH", "rsa"]);
    let kind = if kind.is_empty() {
        String::new()
    } else {
        format!("{kind}{}", sp(s))
    };
    let begin = *s.pick(&[
        "-----BEGIN",
        "-----BEGIN",
        "-----BEGIN",
        "-----begin",
        "----BEGIN",
    ]);
    let end = *s.pick(&[
        "KEY-----",
        "KEY-----",
        "KEY-----",
        "KEY----",
        "KEY BLOCK-----",
    ]);
    let (a, b, c) = (sp(s), sp(s), sp(s));
    format!("{begin}{a}{kind}PRIVATE{b}{end}{c}")
}

fn entropy_value(s: &mut Seeded) -> String {
    match s.below(8) {
        0 => {
            // Exactly 16 distinct characters, each twice: 4.0 bits, at the threshold.
            let distinct = s.string(BASE64, 16);
            let distinct: String = {
                let mut seen = String::new();
                for c in distinct.chars().chain(BASE64.chars()) {
                    if !seen.contains(c) && seen.chars().count() < 16 {
                        seen.push(c);
                    }
                }
                seen
            };
            format!("{distinct}{distinct}")
        }
        1 => text(s, "0123456789abcdef", 19, 4),
        2 => text(s, "aéßøü²³¹½ⅫΩЖ中文字_9", 18, 10),
        3 => text(s, "ab\u{301}c\u{300}de\u{20dd}fgh٣٤", 20, 10),
        4 => text(s, "abcdefghijklmno", 20, 10),
        _ => text(s, BASE64, 15, 30),
    }
}

fn entropy_line(s: &mut Seeded) -> String {
    let q1 = *s.pick(&["'", "\""]);
    let q2 = if s.chance(0.9) {
        q1
    } else {
        *s.pick(&["'", "\"", ""])
    };
    let key = *s.pick(&["seed", "token", "x", "", "password", "url"]);
    let (a, b) = (spaces(s), spaces(s));
    let value = entropy_value(s);
    let tail = if s.chance(0.2) {
        format!(", other = '{}'", entropy_value(s))
    } else {
        String::new()
    };
    format!("{key}{a}={b}{q1}{value}{q2}{tail}")
}

fn noise_line(s: &mut Seeded) -> String {
    (*s.pick(&[
        "",
        "import os",
        "# comment",
        "name: floe",
        "   ",
        "\u{1c}x\u{1f}",
        "\u{3000}y\u{3000}",
        "x = 1",
        "url = \"https://example.com/path?q=1\"",
        "\u{feff}bom",
        "tab\there",
        "é😀",
        "xoxb-123-abc",
        "token: xoxp-9-z",
    ]))
    .to_owned()
}

fn line(s: &mut Seeded) -> String {
    let body = match s.below(12) {
        0..=1 => aws_line(s),
        2..=3 => assignment(s, &PASSWORD_KEYS),
        4..=5 => assignment(s, &API_KEYS),
        6 => private_key_line(s),
        7..=8 => entropy_line(s),
        _ => noise_line(s),
    };
    let pad = |s: &mut Seeded| {
        (*s.pick(&["", "", "", " ", "\t", "\u{1c}", "\u{3000}", "\u{200b}"])).to_owned()
    };
    let (a, b) = (pad(s), pad(s));
    format!("{a}{body}{b}")
}

fn content(s: &mut Seeded) -> String {
    let newline = *s.pick(&["\n", "\n", "\r\n", "\r"]);
    let lines: Vec<String> = (0..1 + s.below(6)).map(|_| line(s)).collect();
    let mut text = lines.join(newline);
    if s.chance(0.4) {
        text.push_str(newline);
    }
    text
}

fn custom_patterns(s: &mut Seeded) -> Value {
    let all = [
        json!({"name": "slack", "regex": "xox[bp]-[0-9a-z-]+", "description": "Slack", "error_code": "E610"}),
        json!({"name": "named", "regex": "token: (?P<secret>\\S+)", "description": "d", "error_code": "E699"}),
        json!({"name": "digits", "regex": "[0-9]{4}", "description": "d", "error_code": "E600"}),
    ];
    Value::Array(all.iter().filter(|_| s.chance(0.5)).cloned().collect())
}

const FILE_PATHS: [&str; 12] = [
    "config.py",
    "./a/../b.py",
    "a//b.env",
    "/abs/x.yaml",
    ".",
    "",
    "dir/",
    "//net/x",
    "///a",
    "./x",
    "a/./b",
    "é/ü.txt",
];

fn file_case(s: &mut Seeded) -> Value {
    let mut case = json!({
        "kind": "file",
        "path": *s.pick(&FILE_PATHS),
        "content": content(s),
    });
    if s.chance(0.2) {
        case["custom"] = custom_patterns(s);
    }
    if s.chance(0.2) {
        case["allow"] = json!(true);
    }
    case
}

/// A directory tree: files (relative path and bytes) and exclude globs.
struct Tree {
    files: Vec<(String, Vec<u8>)>,
    exclude: Vec<String>,
}

const TREE_PATHS: [&str; 14] = [
    "a.py",
    ".env",
    "sub/x.yaml",
    "node_modules/pkg/index.js",
    "tests/test_a.py",
    "deep/tests/a/b.py",
    "config/app.yaml",
    "vendor/lib/aws.py",
    "a.lock",
    "x[1].txt",
    "b/a.py",
    "a/b",
    "secrets/.hidden/key",
    "z.txt",
];

const GLOBS: [&str; 14] = [
    "*.py",
    "node_modules",
    "tests",
    "**/tests/**",
    "sub/*",
    "*.lock",
    "[!a]*",
    "x[",
    "config/*.yaml",
    "vendor",
    "*/lib/*",
    ".*",
    "/nowhere/*",
    "a",
];

fn tree(s: &mut Seeded) -> Tree {
    let mut files = Vec::new();
    for path in TREE_PATHS {
        if !s.chance(0.6) {
            continue;
        }
        let bytes = match s.below(10) {
            0 => b"KEY = 'AKIAABCDEFGHIJKLMNOP'\0\x01".to_vec(),
            1 => b"password = \"caf\xe9\"\n".to_vec(),
            2 => content(s).replace('\n', "\r").into_bytes(),
            _ => content(s).into_bytes(),
        };
        files.push((path.to_owned(), bytes));
    }
    let exclude = GLOBS
        .iter()
        .filter(|_| s.chance(0.15))
        .map(|g| (*g).to_owned())
        .collect();
    Tree { files, exclude }
}

fn seeded_cases(s: &mut Seeded) -> (Vec<Value>, Vec<Tree>) {
    let mut cases = Vec::new();
    for _ in 0..320 {
        cases.push(file_case(s));
    }
    let trees = (0..40).map(|_| tree(s)).collect();
    for _ in 0..10 {
        cases.push(json!({"kind": "patterns", "custom": custom_patterns(s)}));
    }
    (cases, trees)
}

fn file(path: &str, content: &str) -> Value {
    json!({"kind": "file", "path": path, "content": content})
}

fn hand_written_cases() -> Vec<Value> {
    let mut cases = vec![
        // The issue's examples.
        file("db.env", "db_password='hunter2'"),
        file("db.env", "DB_PASSWORD=\"hunter2\""),
        file("db.py", "my_pwd = 'x'"),
        file("api.py", "api_secret = 'abc'"),
        file("api.py", "api_secret = ''"),
        file("api.py", "API-TOKEN='a'"),
        file("key.pem", "-----BEGIN  RSA   PRIVATE  KEY-----"),
        file("key.pem", "-----BEGIN\tPRIVATE\u{1c}KEY-----"),
        file("key.pem", "-----BEGIN EC PRIVATE KEY-----"),
        file("key.pem", "-----BEGIN OPENSSH PRIVATE KEY-----"),
        file("./a/../b.py", "KEY = 'AKIAABCDEFGHIJKLMNOP'"),
        file("aws.py", "AKIAABCDEFGHIJKLMNOP"),
        file("aws.py", "xAKIAABCDEFGHIJKLMNOP"),
        file("aws.py", "AKIAABCDEFGHIJKLMNOPQ"),
        file("aws.py", "AKIAABCDEFGHIJKLMNOP AKIAABCDEFGHIJKLMNOQ"),
        file("aws.py", "éAKIAABCDEFGHIJKLMNOPé"),
        // Python's `\s`: U+001C is whitespace there, not to Rust.
        file("p.py", "password\u{1c}=\u{1c}'x'"),
        file("p.py", "password\u{200b}= 'x'"),
        file("p.py", "\u{1c}password = 'x'\u{1f}"),
        // The entropy test looks at the first candidate only, and at Python's `\w`.
        file("e.py", "a = 'short', b = 'q8Zr4Lp2Xv9Kt6Wm3Yb7Jd5'"),
        file(
            "e.py",
            "a = 'aaaaaaaaaaaaaaaaaaaaaaaa', b = 'q8Zr4Lp2Xv9Kt6Wm3Yb7Jd5'",
        ),
        file("e.py", "a = 'q8Zr4Lp2Xv9Kt6Wm3Yb7Jd5', b = 'short'"),
        file("e.py", "k = '0123456789abcdef0123456789abcdef'"),
        file("e.py", "k = '²³¹½ⅫΩЖ中文字abcdefghij'"),
        file("e.py", "k = 'ab\u{301}cdefghijklmnopqrstu'"),
        // Lines: `\n` only; `\r` stays on its line.
        file("crlf.py", "x = 1\r\npassword = 'x'\r\n"),
        file("cr.py", "x = 1\rpassword = 'x'"),
        file("empty.py", ""),
        json!({"kind": "file", "path": "s.py", "content": "xoxb-1-a\npassword='x'",
               "custom": [{"name": "slack", "regex": "xox[bp]-[0-9a-z-]+", "description": "", "error_code": "E610"}],
               "allow": true}),
        json!({"kind": "patterns"}),
    ];
    for (model, input) in [
        (
            "SecretPattern",
            json!({"name": "x", "regex": "a+", "description": "d", "error_code": "E610"}),
        ),
        (
            "SecretPattern",
            json!({"name": "", "regex": "a+", "description": "d", "error_code": "E600"}),
        ),
        (
            "SecretPattern",
            json!({"name": "x", "regex": "a+", "description": "d", "error_code": "E6100"}),
        ),
        (
            "SecretPattern",
            json!({"name": "x", "regex": "a+", "description": "d", "error_code": "e610"}),
        ),
        (
            "SecretPattern",
            json!({"name": "x", "regex": "a+", "description": "d", "error_code": "E6٠١"}),
        ),
        (
            "SecretPattern",
            json!({"name": "x", "regex": "a+", "description": "d", "error_code": "E610\n"}),
        ),
        (
            "SecretPattern",
            json!({"name": "x", "regex": "(", "description": "d", "error_code": "E610"}),
        ),
        (
            "SecretFinding",
            json!({"file_path": "a", "line_number": 1, "pattern_name": "p", "error_code": "E601", "matched_content": "x"}),
        ),
        (
            "SecretFinding",
            json!({"file_path": "a", "line_number": 0, "pattern_name": "p", "error_code": "X", "matched_content": "x"}),
        ),
        (
            "SecretFinding",
            json!({"file_path": "a", "line_number": 3, "pattern_name": "p", "error_code": "E700",
            "matched_content": "x", "severity": "warning", "match_context": "c", "confidence": "low", "allow_secrets": true}),
        ),
    ] {
        cases.push(json!({"kind": model, "input": input}));
    }
    cases
}

fn hand_written_trees() -> Vec<Tree> {
    let tree = |files: &[(&str, &str)], exclude: &[&str]| Tree {
        files: files
            .iter()
            .map(|(p, c)| ((*p).to_owned(), c.as_bytes().to_vec()))
            .collect(),
        exclude: exclude.iter().map(|g| (*g).to_owned()).collect(),
    };
    vec![
        tree(
            &[
                ("node_modules/x/a.js", "password = 'x'"),
                ("a.py", "password = 'x'"),
            ],
            &["node_modules"],
        ),
        tree(&[("tests/a/b.py", "password = 'x'")], &["**/tests/**"]),
        tree(&[("a.py", "password = 'x'")], &[""]),
        tree(&[("a.py", "password = 'x'")], &["."]),
        tree(&[("bin.dat", "password = 'x'\0")], &[]),
        tree(&[("old.txt", "x = 1\rpassword = 'x'\r\n")], &[]),
    ]
}

// ---------------------------------------------------------------------------------
// Our side
// ---------------------------------------------------------------------------------

fn scanner_config(case: &Value) -> Value {
    json!({
        "custom_patterns": case.get("custom").cloned().unwrap_or_else(|| json!([])),
        "allow_secrets": case.get("allow").cloned().unwrap_or(json!(false)),
    })
}

fn findings(found: Result<Vec<SecretFinding>, PluginError>) -> Result<Vec<Value>, Value> {
    match found {
        Ok(list) => Ok(list
            .iter()
            .map(|f| serde_json::to_value(f).unwrap_or_else(|e| panic!("{e}")))
            .collect()),
        Err(e) => Err(json!({"raised": "PluginError", "message": e.to_string()})),
    }
}

fn model_errors(e: &ModelErrors) -> Value {
    let list: Vec<Value> =
        e.0.iter()
            .map(|f| json!({"path": f.path, "message": f.message}))
            .collect();
    json!({ "errors": list })
}

fn ours(registry: &PluginRegistry, case: &Value) -> Value {
    let kind = case["kind"].as_str().unwrap_or_default();
    match kind {
        "SecretPattern" => match from_value::<SecretPattern>(case["input"].clone()) {
            Ok(p) => json!({"dump": p}),
            Err(e) => model_errors(&e),
        },
        "SecretFinding" => match from_value::<SecretFinding>(case["input"].clone()) {
            Ok(f) => json!({"dump": f}),
            Err(e) => model_errors(&e),
        },
        _ => {
            if let Err(e) =
                registry.configure(PluginType::SecretScanner, "builtin", scanner_config(case))
            {
                return json!({"raised": "PluginError", "message": e.to_string()});
            }
            let scanner = registry
                .get_as::<dyn SecretScannerPlugin>("builtin")
                .unwrap_or_else(|e| panic!("the built-in scanner: {e}"));
            match kind {
                "file" => {
                    let path = case["path"].as_str().unwrap_or_default();
                    let content = case["content"].as_str().unwrap_or_default();
                    match findings(scanner.scan_file(Path::new(path), content)) {
                        Ok(list) => json!({ "findings": list }),
                        Err(e) => e,
                    }
                }
                "dir" => {
                    let exclude: Vec<String> =
                        serde_json::from_value(case["exclude"].clone()).unwrap_or_default();
                    let dir = Path::new(case["directory"].as_str().unwrap_or_default());
                    match findings(scanner.scan_directory(dir, &exclude)) {
                        Ok(mut list) => {
                            list.sort_by(|a, b| {
                                a["file_path"].as_str().cmp(&b["file_path"].as_str())
                            });
                            json!({ "findings": list })
                        }
                        Err(e) => e,
                    }
                }
                "patterns" => json!({"patterns": scanner.get_supported_patterns()}),
                other => panic!("unknown case kind {other}"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Deliberate differences
// ---------------------------------------------------------------------------------

/// Whether `ours` is `floe`'s line with some parts (each at least one character)
/// replaced by the mask `********` (what precedes a mask, a kept prefix included, is
/// floe's text).
fn masks(ours: &str, floe: &str) -> bool {
    let pieces: Vec<&str> = ours.split(MASK).collect();
    let Some((first, rest)) = pieces.split_first() else {
        return false;
    };
    floe.strip_prefix(first).is_some_and(|t| fits(rest, t))
}

/// Whether `text` is, for each piece, a gap of at least one character then the piece.
fn fits(pieces: &[&str], text: &str) -> bool {
    let Some((head, rest)) = pieces.split_first() else {
        return text.is_empty();
    };
    text.char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain([text.len()])
        .any(|i| {
            text[i..]
                .strip_prefix(head)
                .is_some_and(|after| fits(rest, after))
        })
}

/// Whether two lists of findings are equal but for masked content.
fn equal_but_masked(ours: &[Value], floe: &[Value]) -> bool {
    ours.len() == floe.len()
        && ours.iter().zip(floe).all(|(o, f)| {
            let mut unmasked = o.clone();
            unmasked["matched_content"] = f["matched_content"].clone();
            unmasked == *f
                && masks(
                    o["matched_content"].as_str().unwrap_or_default(),
                    f["matched_content"].as_str().unwrap_or_default(),
                )
        })
}

/// Our findings less the private keys that floe's pattern does not know (EC, DSA,
/// OpenSSH, encrypted): those floe has no private_key finding for on the same line.
fn without_other_keys(ours: &[Value], floe: &[Value]) -> Vec<Value> {
    let floe_has = |o: &Value| {
        floe.iter().any(|f| {
            f["pattern_name"] == "private_key"
                && f["file_path"] == o["file_path"]
                && f["line_number"] == o["line_number"]
        })
    };
    ours.iter()
        .filter(|o| o["pattern_name"] != "private_key" || floe_has(o))
        .cloned()
        .collect()
}

fn deliberate(case: &Value, ours: &Value, floe: &Value) -> Option<&'static str> {
    match case["kind"].as_str().unwrap_or_default() {
        "patterns" => {
            let mut expected = floe["patterns"].clone();
            expected.as_array_mut()?.push(json!("high_entropy"));
            (ours["patterns"] == expected).then_some("supported-patterns-high-entropy")
        }
        "SecretPattern" => (floe.get("dump").is_some()
            && ours["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Invalid regex")))
        .then_some("custom-regex-checked"),
        "file" | "dir" => {
            if floe["message"] == "empty pattern" && ours.get("findings").is_some() {
                return Some("empty-exclude-pattern");
            }
            if case["missing"] == true
                && floe["findings"] == json!([])
                && ours.get("raised").is_some()
            {
                return Some("missing-directory");
            }
            let ours_list = ours["findings"].as_array()?;
            let floe_list = floe["findings"].as_array()?;
            let pruned: Vec<&Value> = floe["pruned"].as_array().into_iter().flatten().collect();
            let kept: Vec<Value> = floe_list
                .iter()
                .filter(|f| !pruned.contains(&&f["file_path"]))
                .cloned()
                .collect();
            if kept.len() != floe_list.len() && equal_but_masked(ours_list, &kept) {
                Some("exclude-directory")
            } else if equal_but_masked(ours_list, floe_list) {
                Some("masked-content")
            } else if equal_but_masked(&without_other_keys(ours_list, floe_list), floe_list) {
                Some("more-private-keys")
            } else {
                None
            }
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_trees(trees: &[Tree], root: &Path) -> Vec<Value> {
    let mut cases = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        let dir = root.join(format!("tree{i}"));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        for (rel, bytes) in &tree.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        cases.push(json!({
            "kind": "dir",
            "directory": dir.to_string_lossy(),
            "exclude": tree.exclude,
        }));
    }
    cases.push(json!({
        "kind": "dir",
        "directory": root.join("missing").to_string_lossy(),
        "exclude": [],
        "missing": true,
    }));
    cases
}

#[test]
fn secret_scanner_matches_published_floe() {
    let mut s = Seeded::new(0x7365_6372_6574);
    let (mut cases, mut trees) = seeded_cases(&mut s);
    cases.extend(hand_written_cases());
    trees.extend(hand_written_trees());
    let scratch =
        Scratch(std::env::temp_dir().join(format!("floe-secret-diff-{}", std::process::id())));
    cases.extend(write_trees(&trees, &scratch.0));

    let theirs = reference::run(SCRIPT, &cases);
    let registry = PluginRegistry::new();
    registry.discover_all();
    let mut by_pattern = std::collections::BTreeMap::<String, usize>::new();
    for f in theirs
        .iter()
        .filter_map(|t| t["findings"].as_array())
        .flatten()
    {
        *by_pattern
            .entry(f["pattern_name"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
    }
    println!("floe's findings by pattern: {by_pattern:?}");
    let mut family = Family::new("secret_scan");
    for (i, (case, floe)) in cases.iter().zip(&theirs).enumerate() {
        let ours = ours(&registry, case);
        // The outputs as compared: floe's list of pruned files is ours to read only.
        let mut floe_shown = floe.clone();
        if let Some(map) = floe_shown.as_object_mut() {
            map.remove("pruned");
        }
        let label = format!("case {i} ({})", case["kind"].as_str().unwrap_or("?"));
        let why = if ours == floe_shown {
            None
        } else {
            deliberate(case, &ours, floe)
        };
        family.compare(label, case, &ours, &floe_shown, why);
    }
    family.finish(300);
}

#[test]
fn the_mask_check_accepts_masks_only() {
    assert!(masks(
        "KEY = 'AKIA********'",
        "KEY = 'AKIAABCDEFGHIJKLMNOP'"
    ));
    assert!(masks("p = '********'", "p = 'hunter2'"));
    assert!(!masks("p = '********'", "q = 'hunter2'"));
    assert!(!masks("p = '********'x", "p = 'hunter2'"));
    assert!(!masks("p = ''", "p = 'hunter2'"));
}
