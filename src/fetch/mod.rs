//! URL in, HTTP exchange out, under a policy: limits, retries, per-host pacing, address safety.

mod address;
mod client;
mod headers;
mod settings;
mod types;

pub use address::non_public;
pub use client::{
    ca_certificates, user_agent, wiki_user_agent, Failure, FetchError, Fetcher, Outcome,
    MAX_RETRY_WAIT,
};
pub use headers::{header, Headers};
pub use settings::{range, FetchSettings, WikiSettings};
pub use types::{Capture, CopyKind, Exchange};
