fn main() {
    // Embedded migrations are read at compile time: rebuild when one is added.
    println!("cargo:rerun-if-changed=migrations");
}
