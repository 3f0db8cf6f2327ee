//! Criterion benchmarks of the whole pipeline: one article (the repository's harbour example),
//! and a corpus (PolNeAR train beside the checkout, else the example corpus repeated).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sourcecheck::rules::RuleSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Vec<String> {
    let train = root().join("../shared/eval/polnear/train.jsonl");
    let text = std::fs::read_to_string(&train).unwrap_or_else(|_| {
        let ex = std::fs::read_to_string(root().join("examples/wire-roundup.jsonl"))
            .expect("example corpus");
        ex.repeat(200)
    });
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(300)
        .filter_map(|l| {
            sourcecheck::input::parse_line("corpus", 1, l)
                .ok()
                .map(|a| a.text)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::default_rules().expect("default rules");
    let article =
        std::fs::read_to_string(root().join("examples/harbour-deal.txt")).expect("example article");

    let mut g = c.benchmark_group("article");
    g.throughput(Throughput::Bytes(article.len() as u64));
    g.bench_function("analyze harbour-deal", |b| {
        b.iter(|| sourcecheck::analyze("harbour", &article, &rules))
    });
    // the JSON Lines encoding of corpus runs (output::json, as `check --format jsonl`)
    g.bench_function("analyze + json", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            sourcecheck::output::json::report(
                &mut out,
                &sourcecheck::analyze("harbour", &article, &rules),
            );
            out
        })
    });
    g.finish();

    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("analyze {} articles", docs.len()), |b| {
        b.iter_batched(
            || (),
            |_| {
                docs.iter()
                    .map(|d| sourcecheck::analyze("c", d, &rules).claims.len())
                    .sum::<usize>()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();

    c.bench_function("compile default rules", |b| {
        b.iter(|| RuleSet::default_rules().expect("default rules"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
