//! Token cache benchmark: 100 `bearer()` calls against a local token endpoint cause exactly one
//! token request, and the cached path's latency.
#![allow(clippy::unwrap_used, reason = "benchmark setup")]
#![allow(
    clippy::print_stdout,
    reason = "the bench prints the request count it asserts"
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::Arc;

use common::{Peer, PeerConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use smart_auth::{AuthClient, BackendTokens, SigningAlg, SigningKey, TokenProvider};

fn token_cache(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (peer, tokens) = rt.block_on(async {
        let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
        let config = PeerConfig::default();
        let peer = Peer::start(config.clone(), key.jwks()).await;
        let client = AuthClient::new().unwrap();
        let scopes = ["system/Slot.rs", "system/Appointment.cu"];
        let (tokens, _) =
            BackendTokens::discover(client, &peer.fhir_base, config.client_id, scopes, key)
                .await
                .unwrap();
        (peer, tokens)
    });
    let registration = &tokens.registration().clone();
    let provider: Arc<dyn TokenProvider> = Arc::new(tokens);

    rt.block_on(async {
        for _ in 0..100 {
            black_box(provider.bearer(false).await.unwrap());
        }
    });
    let requests = peer.token_requests();
    println!("token_cache: 100 bearer() calls -> {requests} token request(s)");
    assert_eq!(
        requests, 1,
        "100 calls must cause exactly one token request"
    );

    c.bench_function("bearer_cached", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(provider.bearer(false).await.unwrap()) });
    });
    c.bench_function("bearer_100_calls_cached", |b| {
        b.to_async(&rt).iter(|| async {
            for _ in 0..100 {
                black_box(provider.bearer(false).await.unwrap());
            }
        });
    });
    assert_eq!(
        peer.token_requests(),
        1,
        "the measured calls must all hit the cache"
    );
    println!(
        "token_cache: after benchmarking, still {} token request(s)",
        peer.token_requests()
    );

    // For contrast: the uncached path (sign a fresh assertion + one HTTP round trip to the
    // local endpoint, which verifies the signature).
    let client = AuthClient::new().unwrap();
    let mut group = c.benchmark_group("uncached");
    group.sample_size(30);
    group.bench_function("request_token_es384", |b| {
        b.to_async(&rt).iter(|| async {
            black_box(client.request_token(registration).await.unwrap());
        });
    });
    group.finish();
}

fn assertion_signing(c: &mut Criterion) {
    let url = url::Url::parse("https://ehr.example.org/token").unwrap();
    for alg in [SigningAlg::Es384, SigningAlg::Rs384] {
        let key = SigningKey::generate(alg).unwrap();
        c.bench_function(
            &format!("sign_assertion_{}", alg.as_str().to_lowercase()),
            |b| {
                b.iter(|| {
                    let now = std::time::SystemTime::now();
                    black_box(smart_auth::client_assertion(&key, "app", &url, None, now).unwrap())
                });
            },
        );
    }
}

criterion_group!(benches, token_cache, assertion_signing);
criterion_main!(benches);
