fn main() {
    std::process::exit(ibid::run_cli());
}
