fn main() {
    std::process::exit(ibid::cli::main());
}
