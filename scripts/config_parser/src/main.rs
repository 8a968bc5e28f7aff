//! Reads the config structs of OpenDAL's service crates with `syn` and
//! prints them as JSON for scripts/gen_services.ts:
//!
//! `opendal-config-parser SRC_DIR...` prints, for each service crate's
//! source directory, the schemes its `register_*_service` function
//! registers, its config (the one type with `impl Configurator`) and every
//! enum the config's fields name:
//! `[{ "dir", "schemes": [], "struct": { name, doc, fields }, "enums": {} }]`.
//!
//! Each field gives the key serde reads (after `rename`), its aliases, its
//! type as written (without spaces), its doc lines and its deprecation; each
//! enum its doc lines and the strings serde accepts. Anything this tool does
//! not understand (`flatten`, `rename_all` on a struct, custom
//! deserializers, generics, `cfg` on a field, an enum variant with data, a
//! type it cannot find, ...) is an error naming the file, line and field, so
//! a config can never lose a field silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use quote::ToTokens;
use serde_json::{Value, json};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Fields, Item, Lit, Meta};

type Result<T> = std::result::Result<T, String>;

/// Types a config field may use without a definition in the crate.
const KNOWN_TYPES: &[&str] = &[
    "Option",
    "String",
    "bool",
    "u8",
    "u16",
    "u32",
    "u64",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "isize",
    "f32",
    "f64",
    "HashMap",
    "Vec",
    "Duration",
    "SignedDuration",
];

fn main() -> ExitCode {
    let mut out = Vec::new();
    for dir in std::env::args().skip(1) {
        match parse_service(Path::new(&dir)) {
            Ok(v) => out.push(v),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{}", Value::Array(out));
    ExitCode::SUCCESS
}

/// The service whose crate sources are under `dir`.
fn parse_service(dir: &Path) -> Result<Value> {
    let items = crate_items(dir)?;
    let name = configurator(&items).map_err(|e| format!("{}: {e}", dir.display()))?;
    let schemes = registered_schemes(&items).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (file, item) = find(&items, &name)?;
    let Item::Struct(s) = item else {
        return Err(format!("{}: `{name}` is not a struct", file.display()));
    };
    let config = parse_struct(s).map_err(|e| format!("{}:{e}", file.display()))?;
    let mut enums = BTreeMap::new();
    for field in config["fields"].as_array().expect("fields") {
        let ty = field["type"].as_str().expect("type");
        for ident in type_idents(ty) {
            if KNOWN_TYPES.contains(&ident.as_str()) || enums.contains_key(&ident) {
                continue;
            }
            let (file, item) =
                find(&items, &ident).map_err(|e| format!("{name}.{}: {e}", field["name"]))?;
            let Item::Enum(e) = item else {
                return Err(format!(
                    "{name}.{}: `{ident}` ({}) is neither a known type nor an enum",
                    field["name"],
                    file.display()
                ));
            };
            let values = parse_enum(e).map_err(|e| format!("{}:{e}", file.display()))?;
            enums.insert(ident, values);
        }
    }
    Ok(json!({ "dir": dir, "schemes": schemes, "struct": config, "enums": enums }))
}

/// The one type with `impl Configurator for T`: the service's config.
fn configurator(items: &[(PathBuf, Item)]) -> Result<String> {
    let found: Vec<String> = items
        .iter()
        .filter_map(|(_, item)| match item {
            Item::Impl(i) => i.trait_.as_ref().and_then(|(_, path, _)| {
                let is_configurator = path.segments.last()?.ident == "Configurator";
                let ty = i.self_ty.to_token_stream().to_string();
                is_configurator.then_some(ty)
            }),
            _ => None,
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("expected one `impl Configurator`, found {found:?}")),
    }
}

/// The schemes passed to `registry.register::<_>(SCHEME)` in the crate's
/// `register_*_service` function, resolved through its string constants.
fn registered_schemes(items: &[(PathBuf, Item)]) -> Result<Vec<String>> {
    let register = items
        .iter()
        .find_map(|(_, item)| match item {
            Item::Fn(f) if f.sig.ident.to_string().starts_with("register_") => Some(f),
            _ => None,
        })
        .ok_or("no register_*_service function")?;
    let mut schemes = Vec::new();
    for stmt in &register.block.stmts {
        let syn::Stmt::Expr(Expr::MethodCall(call), _) = stmt else {
            return Err("register_*_service holds more than register calls".into());
        };
        let [Expr::Path(arg)] = call.args.iter().collect::<Vec<_>>().as_slice() else {
            return Err("a register call without one constant argument".into());
        };
        if call.method != "register" {
            return Err(format!("unexpected call `{}` in register_*_service", call.method));
        }
        let constant = arg.path.to_token_stream().to_string();
        let value = items
            .iter()
            .find_map(|(_, item)| match item {
                Item::Const(c) if c.ident == constant => string_lit(&c.expr),
                _ => None,
            })
            .ok_or(format!("no string constant {constant}"))?;
        schemes.push(value);
    }
    if schemes.is_empty() {
        return Err("register_*_service registers nothing".into());
    }
    Ok(schemes)
}

/// Every item of every `.rs` file under `dir`, with its file.
fn crate_items(dir: &Path) -> Result<Vec<(PathBuf, Item)>> {
    let mut files = Vec::new();
    collect_rs(dir, &mut files)?;
    files.sort();
    let mut items = Vec::new();
    for file in files {
        let source =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let ast = syn::parse_file(&source)
            .map_err(|e| format!("{}:{}", file.display(), at(e.span(), &e.to_string())))?;
        items.extend(ast.items.into_iter().map(|i| (file.clone(), i)));
    }
    Ok(items)
}

fn collect_rs(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_rs(&path, files)?;
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// The one serde-deserialized struct or enum called `name`.
fn find<'a>(items: &'a [(PathBuf, Item)], name: &str) -> Result<(&'a Path, &'a Item)> {
    let found: Vec<_> = items
        .iter()
        .filter(|(_, item)| match item {
            Item::Struct(s) => s.ident == name && derives_deserialize(&s.attrs),
            Item::Enum(e) => e.ident == name && derives_deserialize(&e.attrs),
            _ => false,
        })
        .map(|(file, item)| (file.as_path(), item))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("no #[derive(Deserialize)] type `{name}` in the crate")),
        _ => Err(format!("`{name}` is defined more than once in the crate")),
    }
}

/// The identifiers in a type written without spaces: `Option<HfRepoType>`
/// gives `Option`, `HfRepoType`.
fn type_idents(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `line: message` for an error at `span`.
fn at(span: proc_macro2::Span, message: &str) -> String {
    format!("{}: {message}", span.start().line)
}

fn derives_deserialize(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|p| p.segments.last().is_some_and(|s| s.ident == "Deserialize"))
            })
    })
}

fn parse_struct(s: &syn::ItemStruct) -> Result<Value> {
    let name = s.ident.to_string();
    if !s.generics.params.is_empty() {
        return Err(at(s.span(), &format!("{name}: generic structs are not understood")));
    }
    for (key, _) in serde_args(&s.attrs)? {
        // `default` and `deny_unknown_fields` do not change the keys.
        if !matches!(key.as_str(), "default" | "deny_unknown_fields") {
            return Err(at(
                s.span(),
                &format!("{name}: #[serde({key})] on the struct is not understood"),
            ));
        }
    }
    let Fields::Named(named) = &s.fields else {
        return Err(at(s.span(), &format!("{name}: only structs with named fields")));
    };
    let mut fields = Vec::new();
    for f in &named.named {
        let ident = f.ident.as_ref().expect("named field").to_string();
        fields.push(parse_field(&name, &ident, f).map_err(|e| at(f.span(), &e))?);
    }
    Ok(json!({ "name": name, "doc": doc_lines(&s.attrs), "fields": fields }))
}

fn parse_field(owner: &str, ident: &str, f: &syn::Field) -> Result<Value> {
    let context = |what: String| format!("{owner}.{ident}: {what}");
    let mut key = ident.strip_prefix("r#").unwrap_or(ident).to_string();
    let mut aliases = Vec::new();
    let mut skipped = false;
    for (arg, value) in serde_args(&f.attrs).map_err(context)? {
        match (arg.as_str(), value) {
            ("default" | "skip_serializing" | "skip_serializing_if" | "rename.serialize", _) => {}
            ("alias", Some(v)) => aliases.push(v),
            ("rename" | "rename.deserialize", Some(v)) => key = v,
            ("skip" | "skip_deserializing", None) => skipped = true,
            (other, _) => return Err(context(format!("#[serde({other})] is not understood"))),
        }
    }
    check_attrs(&f.attrs, &["doc", "serde", "deprecated"]).map_err(context)?;
    // Without spaces or trailing commas, however the type was wrapped.
    let ty = f.ty.to_token_stream().to_string().replace(' ', "").replace(",>", ">");
    Ok(json!({
        "name": ident,
        "key": key,
        "aliases": aliases,
        "type": ty,
        "doc": doc_lines(&f.attrs),
        "deprecated": deprecation(&f.attrs).map_err(context)?,
        "skipped": skipped,
    }))
}

/// A unit-only enum: its doc and the strings serde accepts for each variant
/// (`rename_all`, `rename` and `alias` applied).
fn parse_enum(e: &syn::ItemEnum) -> Result<Value> {
    let name = e.ident.to_string();
    let mut rule = None;
    for (arg, value) in serde_args(&e.attrs)? {
        match (arg.as_str(), value) {
            ("rename_all" | "rename_all.deserialize", Some(v)) => rule = Some(v),
            ("rename_all.serialize", _) => {}
            (other, _) => {
                return Err(at(
                    e.span(),
                    &format!("{name}: #[serde({other})] on an enum is not understood"),
                ));
            }
        }
    }
    let mut values = Vec::new();
    for v in &e.variants {
        let context = |what: String| at(v.span(), &format!("{name}::{}: {what}", v.ident));
        if !matches!(v.fields, Fields::Unit) {
            return Err(context("only unit variants are understood".into()));
        }
        check_attrs(&v.attrs, &["doc", "serde", "default"]).map_err(context)?;
        let mut names = vec![rename(&v.ident.to_string(), rule.as_deref()).map_err(context)?];
        for (arg, value) in serde_args(&v.attrs).map_err(context)? {
            match (arg.as_str(), value) {
                ("rename" | "rename.deserialize", Some(n)) => names[0] = n,
                ("alias", Some(n)) => names.push(n),
                ("rename.serialize", _) => {}
                ("skip" | "skip_deserializing", None) => names.clear(),
                (other, _) => return Err(context(format!("#[serde({other})] is not understood"))),
            }
        }
        values.extend(names);
    }
    Ok(json!({ "doc": doc_lines(&e.attrs), "values": values }))
}

/// A variant name under a serde `rename_all` rule.
fn rename(variant: &str, rule: Option<&str>) -> Result<String> {
    let words = || {
        let mut words: Vec<String> = Vec::new();
        for c in variant.chars() {
            if c.is_uppercase() || words.is_empty() {
                words.push(String::new());
            }
            words.last_mut().expect("a word").push(c);
        }
        words
    };
    let lower = |sep: &str| words().join(sep).to_lowercase();
    Ok(match rule {
        None | Some("PascalCase") => variant.to_string(),
        Some("lowercase") => variant.to_lowercase(),
        Some("UPPERCASE") => variant.to_uppercase(),
        Some("snake_case") => lower("_"),
        Some("kebab-case") => lower("-"),
        Some("SCREAMING_SNAKE_CASE") => lower("_").to_uppercase(),
        Some("SCREAMING-KEBAB-CASE") => lower("-").to_uppercase(),
        Some("camelCase") => {
            let mut chars = variant.chars();
            chars.next().map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
        }
        Some(other) => return Err(format!("rename_all = {other:?} is not understood")),
    })
}

/// Fails on any attribute outside `allowed` (a `cfg` would make a field
/// exist only in some builds, which the generated types cannot say).
fn check_attrs(attrs: &[Attribute], allowed: &[&str]) -> Result<()> {
    for a in attrs {
        let path = a.path().to_token_stream().to_string();
        if !allowed.contains(&path.as_str()) {
            return Err(format!("#[{path}] is not understood here"));
        }
    }
    Ok(())
}

/// The `#[doc]` lines (`///` comments), without the space after `///`.
fn doc_lines(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => string_lit(&nv.value),
            _ => None,
        })
        .flat_map(|text| text.split('\n').map(str::to_string).collect::<Vec<_>>())
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_string())
        .collect()
}

fn string_lit(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// `#[deprecated]`, `#[deprecated = "note"]` or `#[deprecated(since, note)]`.
fn deprecation(attrs: &[Attribute]) -> Result<Value> {
    let Some(a) = attrs.iter().find(|a| a.path().is_ident("deprecated")) else {
        return Ok(Value::Null);
    };
    let (mut since, mut note) = (None, None);
    match &a.meta {
        Meta::Path(_) => {}
        Meta::NameValue(nv) => note = string_lit(&nv.value),
        Meta::List(_) => a
            .parse_nested_meta(|m| {
                let value = m.value()?.parse::<syn::LitStr>()?.value();
                if m.path.is_ident("since") {
                    since = Some(value);
                } else if m.path.is_ident("note") {
                    note = Some(value);
                } else {
                    return Err(m.error("unknown #[deprecated] argument"));
                }
                Ok(())
            })
            .map_err(|e| format!("#[deprecated] not understood: {e}"))?,
    }
    Ok(json!({ "since": since, "note": note }))
}

/// The arguments of every `#[serde(...)]`: `(name, string value)`, with
/// `rename(deserialize = "x")` as `("rename.deserialize", "x")`.
fn serde_args(attrs: &[Attribute]) -> Result<Vec<(String, Option<String>)>> {
    let mut args = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        a.parse_nested_meta(|m| {
            let name = m.path.to_token_stream().to_string();
            if m.input.peek(syn::Token![=]) {
                let value = m.value()?.parse::<syn::LitStr>()?.value();
                args.push((name, Some(value)));
            } else if m.input.peek(syn::token::Paren) {
                m.parse_nested_meta(|inner| {
                    let which = inner.path.to_token_stream().to_string();
                    let value = inner.value()?.parse::<syn::LitStr>()?.value();
                    args.push((format!("{name}.{which}"), Some(value)));
                    Ok(())
                })?;
            } else {
                args.push((name, None));
            }
            Ok(())
        })
        .map_err(|e| format!("#[serde] not understood: {e}"))?;
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a one-file crate holding `source` plus a config registration.
    fn parse(source: &str) -> Result<Value> {
        let dir = std::env::temp_dir().join(format!(
            "config-parser-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let lib = format!(
            "{source}\n\
             impl Configurator for DemoConfig {{}}\n\
             pub const DEMO_SCHEME: &str = \"demo\";\n\
             pub const DEMO_ALIAS: &str = \"demo2\";\n\
             pub fn register_demo_service(registry: &OperatorRegistry) {{\n\
                 registry.register::<Demo>(DEMO_SCHEME);\n\
                 registry.register::<Demo>(DEMO_ALIAS);\n\
             }}\n"
        );
        std::fs::write(dir.join("lib.rs"), lib).unwrap();
        let out = parse_service(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    fn field<'a>(v: &'a Value, name: &str) -> &'a Value {
        v["struct"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    }

    #[test]
    fn reads_every_field_however_it_is_written() {
        let v = parse(
            r#"
            /// The demo config.
            #[derive(Default, Deserialize)]
            #[serde(default)]
            pub struct DemoConfig {
                /// Where.
                ///
                /// <!-- @default / -->
                pub root: Option<String>,
                #[serde(alias = "demo_bucket", rename = "bucket_name")]
                pub bucket: String,
                pub tags: Option<
                    HashMap<
                        String,
                        String,
                    >,
                >,
                #[deprecated(since = "0.1.0", note = "use `root`")]
                pub old: bool,
                #[serde(skip)]
                pub cache: Option<String>,
                pub ttl: Option<SignedDuration>,
                pub mode: Option<Mode>,
            }

            /// How.
            #[derive(Deserialize)]
            #[serde(rename_all = "snake_case")]
            pub enum Mode {
                ReadOnly,
                #[serde(rename = "rw", alias = "read_write")]
                ReadWrite,
            }
            "#,
        )
        .unwrap();
        assert_eq!(v["schemes"], json!(["demo", "demo2"]));
        assert_eq!(v["struct"]["name"], "DemoConfig");
        assert_eq!(v["struct"]["doc"], json!(["The demo config."]));
        assert_eq!(field(&v, "root")["doc"], json!(["Where.", "", "<!-- @default / -->"]));
        let bucket = field(&v, "bucket");
        assert_eq!(bucket["key"], "bucket_name");
        assert_eq!(bucket["aliases"], json!(["demo_bucket"]));
        assert_eq!(field(&v, "tags")["type"], "Option<HashMap<String,String>>");
        assert_eq!(
            field(&v, "old")["deprecated"],
            json!({ "since": "0.1.0", "note": "use `root`" })
        );
        assert_eq!(field(&v, "cache")["skipped"], true);
        assert_eq!(field(&v, "ttl")["type"], "Option<SignedDuration>");
        assert_eq!(v["enums"]["Mode"]["values"], json!(["read_only", "rw", "read_write"]));
    }

    #[test]
    fn fails_loudly_on_what_it_cannot_read() {
        let cases = [
            ("#[serde(flatten)] pub extra: HashMap<String, String>,", "flatten"),
            (
                "#[serde(deserialize_with = \"parse\")] pub x: String,",
                "deserialize_with",
            ),
            ("#[cfg(unix)] pub x: String,", "#[cfg]"),
            ("pub x: Option<Unknown>,", "no #[derive(Deserialize)] type `Unknown`"),
        ];
        for (field, says) in cases {
            let source = format!(
                "#[derive(Deserialize)] pub struct DemoConfig {{ {field} }}"
            );
            let err = parse(&source).expect_err(field);
            assert!(err.contains(says), "{field}: {err}");
        }
        let err = parse(
            "#[derive(Deserialize)] #[serde(rename_all = \"camelCase\")] \
             pub struct DemoConfig { pub a_b: String }",
        )
        .expect_err("rename_all");
        assert!(err.contains("rename_all"), "{err}");
        let err = parse(
            "#[derive(Deserialize)] pub struct DemoConfig { pub m: Mode }\n\
             #[derive(Deserialize)] pub enum Mode { A(String) }",
        )
        .expect_err("data variant");
        assert!(err.contains("only unit variants"), "{err}");
    }
}
