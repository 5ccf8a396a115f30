// XMLDSig verification throughput for a 4 KB application, GOST 2015-512 and
// RSA-2048, next to the raw primitive (PublicKey::verify over the same 4 KB)
// in the same run. Target: full verification >= 80% of the raw rate.
//   qujat_bench --benchmark_filter=Dsig
#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench/dsig_fixture.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/digest.h"
#include "qujat/xml/c14n.h"
#include "qujat/xml/document.h"
#include "support/paths.h"

namespace {

using namespace qujat;

using bench::dsig_fixture;

void full_verify(benchmark::State& state, pki::KeyAlgorithm algorithm) {
  const auto& f = dsig_fixture(algorithm);
  dsig::VerifyOptions options;
  options.at = parse_instant("2025-01-01T00:00:00Z");
  options.require_trusted_chain = false;  // the signature, not the path (see pki_bench for chains)
  for (auto _ : state) {
    auto report = dsig::verify_xml(f.signed_xml, options);
    if (!report.valid) state.SkipWithError("signature not valid");
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["doc_bytes"] = static_cast<double>(f.signed_xml.size());
}

void raw_verify(benchmark::State& state, pki::KeyAlgorithm algorithm) {
  const auto& f = dsig_fixture(algorithm);
  for (auto _ : state) {
    bool ok = f.public_key.verify(f.algorithm, as_bytes(f.document), f.raw_signature);
    if (!ok) state.SkipWithError("raw signature not valid");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_DsigXmlVerify4kGost2015_512(benchmark::State& s) { full_verify(s, pki::KeyAlgorithm::Gost2015_512); }
void BM_DsigRawVerify4kGost2015_512(benchmark::State& s) { raw_verify(s, pki::KeyAlgorithm::Gost2015_512); }
void BM_DsigXmlVerify4kRsa2048(benchmark::State& s) { full_verify(s, pki::KeyAlgorithm::Rsa); }
void BM_DsigRawVerify4kRsa2048(benchmark::State& s) { raw_verify(s, pki::KeyAlgorithm::Rsa); }

// The floor under any XMLDSig verification, whatever the library: the
// document must be parsed, and the referenced content canonicalised and
// hashed, before the primitive runs. These two show how much of the 80%
// budget (raw time / 0.8 - raw time) that floor alone already takes; for
// RSA-2048 the parse by itself exceeds it, so the target is out of reach
// for RSA with any parser (see docs/signatures.md).
void BM_DsigFloorParse4kRsa2048(benchmark::State& state) {
  const auto& f = dsig_fixture(pki::KeyAlgorithm::Rsa);
  for (auto _ : state) {
    auto doc = xml::Document::parse(f.signed_xml);
    benchmark::DoNotOptimize(doc.root());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_DsigFloorParseCanonicalHash4kRsa2048(benchmark::State& state) {
  const auto& f = dsig_fixture(pki::KeyAlgorithm::Rsa);
  for (auto _ : state) {
    auto doc = xml::Document::parse(f.signed_xml);
    auto signatures = xml::descendants(doc.root(), "http://www.w3.org/2000/09/xmldsig#", "Signature");
    std::vector<const xmlNode*> excluded(signatures.begin(), signatures.end());
    pki::Digest digest(pki::DigestAlgorithm::Sha256);
    xml::canonicalize_to(doc.native(), nullptr, xml::C14nMethod::Inclusive, excluded, {},
                         [&digest](std::string_view chunk) { digest.update(as_bytes(chunk)); });
    auto value = digest.finish();
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_DsigXmlVerify4kGost2015_512);
BENCHMARK(BM_DsigRawVerify4kGost2015_512);
BENCHMARK(BM_DsigXmlVerify4kRsa2048);
BENCHMARK(BM_DsigRawVerify4kRsa2048);
BENCHMARK(BM_DsigFloorParse4kRsa2048);
BENCHMARK(BM_DsigFloorParseCanonicalHash4kRsa2048);

}  // namespace

namespace {

// How long rejecting each hostile file takes (the issue asks for "well
// under a second"; unit tests are not timed).
void BM_DsigRejectHostileCorpus(benchmark::State& state) {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(qujat::test::source_root().string() + "/tests/data/hostile")) {
    Bytes b = read_file(e.path().string());
    files.emplace_back(as_chars(b));
  }
  dsig::VerifyOptions options;
  for (auto _ : state) {
    for (const auto& f : files) {
      auto report = dsig::verify_xml(f, options);
      if (report.valid) state.SkipWithError("a hostile file was accepted");
      benchmark::DoNotOptimize(report);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.size()));
}
BENCHMARK(BM_DsigRejectHostileCorpus);

}  // namespace
