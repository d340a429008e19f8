//! How many complete authorize links the protocol core builds per second, natively: for each
//! link, fresh state, nonce and PKCE verifier (256 bits each), the S256 challenge, the
//! transaction serialized as the JSON the browser stores, and the encoded link. Run by
//! `npm run bench` (bench/run.mjs) as `cargo run --release --example bench_links`; it prints
//! one JSON line the bench reads.
//!
//! The browser draws its entropy from `crypto.getRandomValues`; a native example has no
//! such source without another dependency, so it uses a xorshift generator. That is fine
//! for counting work and nothing else: it is not a source of secrets.

use std::hint::black_box;
use std::time::{Duration, Instant};

use latch_login::core::authorize::{AuthorizeRequest, Scope};
use latch_login::core::transaction::{CodeExchange, Delivery, Flow, Transaction};
use latch_login::core::types::{
    ClientId, ConnectionName, Entropy, IssuerUrl, Nonce, PkceCodeVerifier, RedirectUrl, State,
};

/// xorshift64* (Vigna, 2016): fast and deterministic, for benchmarking only.
struct XorShift(u64);

impl XorShift {
    fn entropy(&mut self) -> Entropy {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            chunk.copy_from_slice(&self.0.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
        }
        out
    }
}

/// One link as the widget makes it for a broker connection (`connection=NAME`, code + PKCE).
fn link(rng: &mut XorShift, scope: &Scope, extra: &[(String, String)]) -> (String, String) {
    let tx = Transaction {
        state: State::from_entropy(&rng.entropy()),
        nonce: Nonce::from_entropy(&rng.entropy()),
        flow: Flow::Back(CodeExchange {
            code_verifier: PkceCodeVerifier::from_entropy(&rng.entropy()),
            token_endpoint: "http://127.0.0.1:3000/oauth/token".into(),
        }),
        client_id: ClientId::new("latch-spa"),
        connection: ConnectionName::new("local-oidc"),
        strategy: "oidc".into(),
        redirect_uri: RedirectUrl::new("http://127.0.0.1:8080/"),
        issuer: IssuerUrl::new("http://127.0.0.1:3000"),
        jwks_uri: "http://127.0.0.1:3000/.well-known/jwks.json".into(),
        iss_parameter_supported: true,
        max_age: None,
        scope: Some(scope.as_str().to_owned()),
        userinfo: None,
        app_state: None,
        given_state: None,
        created_at: 1_700_000_000,
        delivery: Delivery::Page,
        #[cfg(feature = "dpop")]
        dpop: false,
    };
    // What the browser layer writes to sessionStorage for this state.
    let stored = serde_json::to_string(&tx).unwrap_or_default();
    let url = AuthorizeRequest {
        authorization_endpoint: "http://127.0.0.1:3000/authorize",
        transaction: &tx,
        send_connection: true,
        scope,
        extra,
    }
    .url();
    (url, stored)
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let scope = Scope::parse(Scope::DEFAULT);
    let extra: Vec<(String, String)> = Vec::new();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);

    // Warm up, and show one link so a reader can see what is being counted.
    let (sample, _) = link(&mut rng, &scope, &extra);
    for _ in 0..10_000 {
        black_box(link(&mut rng, &scope, &extra));
    }

    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut links: u64 = 0;
    while start.elapsed() < budget {
        for _ in 0..1_000 {
            black_box(link(&mut rng, &scope, &extra));
        }
        links += 1_000;
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{{\"links\":{links},\"seconds\":{elapsed:.6},\"links_per_second\":{:.0},\"sample_length\":{}}}",
        links as f64 / elapsed,
        sample.len()
    );
    eprintln!("sample link: {sample}");
}
