//! Print the CDXJ key ibid writes for each URL read from standard input, one per line; used
//! by `bench/surt-check.sh` to compare ibid's keys with pywb's.
use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        println!("{}", ibid::snapshot::cdxj::surt(&line));
    }
}
