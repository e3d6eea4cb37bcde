//! https on loopback for tests: a certificate authority made on the spot (rcgen), a server
//! certificate it signs for the test's host names, and a TLS front that decrypts each
//! connection and passes it to a plain test server (`server::Server`), which routes by the
//! Host header as usual. A connection that does not begin a TLS handshake is passed on as it
//! is, so one address serves a host's http and https URLs alike. The CA's PEM goes into
//! `[fetch] ca_file`.
#![allow(dead_code)]

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls;

pub struct TlsFront {
    pub addr: SocketAddr,
    /// The certificate authority that signed the server's certificate, as PEM.
    pub ca_pem: String,
}

/// A CA, and a server certificate for `hosts` signed by it: (CA PEM, chain, key).
fn certificates(
    hosts: &[&str],
) -> (
    String,
    Vec<rustls::pki_types::CertificateDer<'static>>,
    rustls::pki_types::PrivateKeyDer<'static>,
) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ibid test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("self-signed CA");
    let names: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
    let mut leaf_params = CertificateParams::new(names).expect("server names");
    leaf_params.distinguished_name.push(
        DnType::CommonName,
        hosts.first().copied().unwrap_or("localhost"),
    );
    let leaf_key = KeyPair::generate().expect("server key");
    let leaf = leaf_params.signed_by(&leaf_key, &ca).expect("signed");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    (ca.pem(), vec![leaf.der().clone()], key)
}

impl TlsFront {
    /// Serve TLS for `hosts` on 127.0.0.1, passing every connection to `backend`.
    pub async fn start(backend: SocketAddr, hosts: &[&str]) -> TlsFront {
        let (ca_pem, chain, key) = certificates(hosts);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server certificate");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut plain) = TcpStream::connect(backend).await else {
                        return;
                    };
                    // a TLS record of type handshake (22) opens every TLS connection
                    let mut first = [0u8; 1];
                    if !matches!(sock.peek(&mut first).await, Ok(1) if first[0] == 22) {
                        let mut sock = sock;
                        let _ = tokio::io::copy_bidirectional(&mut sock, &mut plain).await;
                        return;
                    }
                    let Ok(mut tls) = acceptor.accept(sock).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        TlsFront { addr, ca_pem }
    }
}
