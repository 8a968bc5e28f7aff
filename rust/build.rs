//! Regenerates `include/opendal_deno.h` from the exported functions, so the
//! committed header can never drift from the library (CI checks `git diff`).

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let config =
        cbindgen::Config::from_file(format!("{dir}/cbindgen.toml")).expect("cbindgen.toml parses");
    cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("the C header generates")
        .write_to_file(format!("{dir}/include/opendal_deno.h"));
}
