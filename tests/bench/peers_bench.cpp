// The in-process halves of scripts/bench --report (docs/quality.md):
//  - OpenSSL's gost engine (libengine-gost-openssl) verifying the very GOST
//    2015-512 signature BM_DsigRawVerify4kGost2015_512 verifies, the KZ key
//    mapped onto the engine's GOST R 34.10-2012-512 paramSetA key (the same
//    curve; KZ writes the signature reversed, the engine s||r big-endian);
//  - a licence issued end to end, XML signed and PDF signed, with a fresh
//    GOST key (no ../shared needed), and the equivalent bilingual HTML form
//    LibreOffice converts beside it.
// The ENGINE API is deprecated in OpenSSL 3 but is the only way to reach the
// engine; its warnings are silenced in this file alone.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include <benchmark/benchmark.h>
#include <openssl/engine.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench/dsig_fixture.h"
#include "qujat/common/memory.h"
#include "qujat/docs/document_engine.h"
#include "qujat/model/application.h"
#include "qujat/render/pdf.h"
#include "support/paths.h"
#include "support/self_signed.h"

namespace {

using namespace qujat;

// The gost engine, loaded once and kept (as OpenSSL keeps providers).
ENGINE* gost_engine() {
  static ENGINE* const engine = [] {
    ENGINE_load_builtin_engines();
    ENGINE* e = ENGINE_by_id("gost");
    if (e != nullptr && ENGINE_init(e) != 1) {
      ENGINE_free(e);
      e = nullptr;
    }
    if (e != nullptr) ENGINE_register_pkey_asn1_meths(e);
    return e;
  }();
  return engine;
}

// DER helpers for the engine's SubjectPublicKeyInfo (short forms suffice but
// the key is 131 bytes, so lengths are written in full).
Bytes tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// The KZ public point (X||Y little-endian, as NCA stores it and as the
// engine's GOST 2012 keys are encoded) under the engine's OIDs:
// id-tc26-gost3410-12-512 with paramSetA and Streebog-512.
UniquePtr<EVP_PKEY, EVP_PKEY_free> engine_public_key(const pki::PublicKey& kz) {
  const Bytes gost2012_512 = {0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x01, 0x02};
  const Bytes param_set_a = {0x06, 0x09, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x02, 0x01, 0x02, 0x01};
  const Bytes streebog512 = {0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x02, 0x03};
  const Bytes algorithm = tlv(0x30, cat({gost2012_512, tlv(0x30, cat({param_set_a, streebog512}))}));
  Bytes bits{0x00};
  const Bytes point = tlv(0x04, kz.raw());
  bits.insert(bits.end(), point.begin(), point.end());
  const Bytes spki = tlv(0x30, cat({algorithm, tlv(0x03, bits)}));
  const unsigned char* p = spki.data();
  return make_unique_ptr<EVP_PKEY_free>(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
}

// The same signature and the same 4 KB as BM_DsigRawVerify4kGost2015_512,
// verified by the engine: Streebog-512 over the data, then the GOST check.
void BM_PeerGostEngineVerify4kGost2015_512(benchmark::State& state) {
  ENGINE* engine = gost_engine();
  if (engine == nullptr) {
    state.SkipWithError("the gost engine cannot be loaded (Debian package libengine-gost-openssl)");
    return;
  }
  const auto& f = bench::dsig_fixture(pki::KeyAlgorithm::Gost2015_512);
  const auto key = engine_public_key(f.public_key);
  const EVP_MD* md = ENGINE_get_digest(engine, NID_id_GostR3411_2012_512);
  if (!key || md == nullptr) {
    state.SkipWithError("the engine does not take the GOST 2012-512 paramSetA key");
    return;
  }
  const Bytes signature(f.raw_signature.rbegin(), f.raw_signature.rend());  // KZ reversed -> s||r
  const ByteView data = as_bytes(f.document);
  auto verify = [&] {
    auto ctx = make_unique_ptr<EVP_MD_CTX_free>(EVP_MD_CTX_new());
    return EVP_DigestVerifyInit(ctx.get(), nullptr, md, engine, key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
  };
  // A peer that says "no" proves nothing: it must accept this signature and
  // refuse a changed one before it is timed.
  Bytes bad = signature;
  bad[bad.size() / 2] ^= 1;
  auto ctx = make_unique_ptr<EVP_MD_CTX_free>(EVP_MD_CTX_new());
  const bool refuses = EVP_DigestVerifyInit(ctx.get(), nullptr, md, engine, key.get()) == 1 &&
                       EVP_DigestVerify(ctx.get(), bad.data(), bad.size(), data.data(), data.size()) != 1;
  if (!verify() || !refuses) {
    state.SkipWithError("the engine does not verify the KZ signature as expected");
    return;
  }
  for (auto _ : state) {
    const bool ok = verify();
    if (!ok) state.SkipWithError("engine verification failed");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PeerGostEngineVerify4kGost2015_512);

// ---- issuing a licence, and the form LibreOffice converts instead ----

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The printed form as a plain bilingual HTML page: every text the PDF shows,
// Kazakh and Russian side by side, boxes and the goods table as tables.
std::string bilingual_html(const docs::PrintedForm& form) {
  std::ostringstream h;
  auto both = [&](const docs::BilingualText& t) {
    if (t.kk == t.ru) return "<td colspan=\"2\">" + html_escape(t.kk) + "</td>";
    return "<td lang=\"kk\">" + html_escape(t.kk) + "</td><td lang=\"ru\">" + html_escape(t.ru) + "</td>";
  };
  h << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" << html_escape(form.number)
    << "</title><style>body{font-family:'DejaVu Sans';font-size:9pt}table{border-collapse:collapse;width:100%}"
       "td,th{border:1px solid #000;padding:2px;vertical-align:top}</style></head><body><table>";
  for (const auto& line : form.authority_header) h << "<tr>" << both(line) << "</tr>";
  h << "<tr>" << both(form.title) << "</tr><tr>" << both(form.subtitle) << "</tr><tr>" << both(form.issue_date)
    << "</tr></table>";
  for (const auto& block : form.blocks) {
    h << "<table>";
    if (block.kind == docs::FormBlockKind::Paragraph) h << "<tr>" << both(block.paragraph) << "</tr>";
    for (const auto& box : block.boxes) {
      h << "<tr><th>" << html_escape(box.number) << "</th>" << both(box.label) << "</tr>";
      for (const auto& line : box.lines) h << "<tr><td></td>" << both(line) << "</tr>";
    }
    if (block.kind == docs::FormBlockKind::Table) {
      h << "<tr>";
      for (const auto& c : block.table.columns)
        h << "<th>" << html_escape(c.number) << " " << html_escape(c.label.kk) << " / " << html_escape(c.label.ru)
          << "</th>";
      h << "</tr>";
      for (const auto& row : block.table.rows) {
        h << "<tr>";
        for (const auto& cell : row) h << "<td>" << html_escape(cell.kk) << " / " << html_escape(cell.ru) << "</td>";
        h << "</tr>";
      }
    }
    h << "</table>";
  }
  h << "<table><tr>" << both(form.signatory_position) << "</tr><tr><td colspan=\"2\">"
    << html_escape(form.signatory_name) << "</td></tr><tr>" << both(form.footer) << "</tr><tr><td colspan=\"2\">"
    << html_escape(form.verification_url) << "</td></tr></table></body></html>\n";
  return h.str();
}

// The report's issuing figure: check the export-licence sample, render and
// validate its XML, sign it (XMLDSig, GOST 2015-512), lay out and sign the
// PDF (PAdES). Templates, schemas, fonts and the key are loaded once, outside
// the timed loop, as the service holds them.
void BM_ReportIssueLicenceXmlAndPdfSignedGost(benchmark::State& state) {
  static const pki::KeyStore signer = test::self_signed_signer(pki::KeyAlgorithm::Gost2015_512, "BENCH OFFICER");
  std::ifstream in(test::source_root() / "samples" / "export-licence.json");
  const auto application = model::Application::from_json(nlohmann::json::parse(in));
  const docs::DocumentEngine engine{docs::EngineOptions{}};
  docs::IssueRequest request;
  request.number = "KZ-EXP-2026-000042";
  request.issue_date = parse_date("2026-04-28");
  request.signer = &signer;
  render::PdfOptions options;
  options.signature = render::PdfSignature{&signer, {}, {}, {}};
  auto first = engine.issue(application, request);
  const Bytes first_pdf = render::render_pdf(first.form, options);
  if (const auto dir = bench::fixtures_dir(); !dir.empty()) {
    write_file((dir / "licence.html").string(), as_bytes(bilingual_html(first.form)));
    write_file((dir / "licence.pdf").string(), first_pdf);
    write_file((dir / "licence.xml").string(), as_bytes(first.xml));
  }
  std::size_t pdf_bytes = 0, xml_bytes = 0;
  for (auto _ : state) {
    auto issued = engine.issue(application, request);
    Bytes pdf = render::render_pdf(issued.form, options);
    pdf_bytes = pdf.size();
    xml_bytes = issued.xml.size();
    benchmark::DoNotOptimize(pdf.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pdf_bytes"] = static_cast<double>(pdf_bytes);
  state.counters["xml_bytes"] = static_cast<double>(xml_bytes);
}
BENCHMARK(BM_ReportIssueLicenceXmlAndPdfSignedGost)->Unit(benchmark::kMillisecond);

}  // namespace
