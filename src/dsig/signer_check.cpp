#include "qujat/dsig/signer_check.h"

#include <memory>

#include "qujat/common/error.h"

namespace qujat::dsig {

namespace {
// A certificate as the params of a coded finding.
Params whom(const pki::Certificate& c, Params more = {}) {
  more["certificate"] = c.subject();
  more["serial"] = c.serial_hex();
  return more;
}
}  // namespace

void verify_signer_certificate(const pki::Certificate& certificate,
                               const std::vector<pki::Certificate>& extra_certificates, const VerifyOptions& options,
                               SignatureReport& report) {
  const Instant at = options.effective_time();
  report.certificate = certificate;
  try {
    report.signer = certificate.identity();
  } catch (const Error& e) {
    report.fail({"certificate.identity_unreadable", whom(certificate, {{"detail", e.full_message()}})});
  }

  // NCA issues every holder two keys: AUTH (EKU clientAuth, no
  // nonRepudiation) to log in, and a signing key for documents. A document
  // signed with the AUTH key is not an electronic signature of its holder.
  if (options.require_signing_key && report.signer.authentication_key && !report.signer.signing_key)
    report.fail({"certificate.authentication_only", whom(certificate)});

  report.time = pki::time_status(certificate, at);
  if (*report.time == pki::TimeStatus::Expired)
    report.fail({"certificate.expired", whom(certificate, {{"not_after", format_instant_utc(certificate.not_after())},
                                                           {"at", format_instant_utc(at)}})});
  else if (*report.time == pki::TimeStatus::NotYetValid)
    report.fail({"certificate.not_yet_valid",
                 whom(certificate,
                      {{"not_before", format_instant_utc(certificate.not_before())}, {"at", format_instant_utc(at)}})});

  std::optional<pki::Certificate> issuer;
  if (options.trust.empty()) {
    report.chain = ChainStatus::NotChecked;
    if (options.require_trusted_chain)
      report.fail({"chain.no_anchors", {}});
    else
      report.note({"chain.not_checked", {}});
  } else {
    try {
      pki::ChainResult chain = pki::verify_chain(certificate, options.trust, at, extra_certificates);
      report.chain = chain.trusted ? ChainStatus::Trusted : ChainStatus::Untrusted;
      if (chain.path.size() >= 2) issuer = chain.path[1];
      if (!chain.trusted) {
        report.fail({"chain.untrusted", whom(certificate)});
        for (std::size_t i = 0; i < chain.errors.size(); ++i)
          report.fail(i < chain.findings.size()
                          ? chain.findings[i]
                          : Finding{"chain.check_failed", whom(certificate, {{"detail", chain.errors[i]}})});
      } else if (chain.time != pki::TimeStatus::WithinValidity && *report.time == pki::TimeStatus::WithinValidity) {
        report.fail({chain.time == pki::TimeStatus::Expired ? "chain.ca_expired" : "chain.ca_not_yet_valid",
                     whom(certificate, {{"at", format_instant_utc(at)}})});
      }
    } catch (const Error& e) {
      report.chain = ChainStatus::Untrusted;
      report.fail({"chain.check_failed", whom(certificate, {{"detail", e.full_message()}})});
    }
  }
  if (!issuer) {
    for (const auto& c : extra_certificates)
      if (!c.same_as(certificate) && c.subject() == certificate.issuer()) issuer = c;
    for (const auto& c : options.trust.anchors())
      if (!issuer && c.subject() == certificate.issuer()) issuer = c;
    for (const auto& c : options.trust.intermediates())
      if (!issuer && c.subject() == certificate.issuer()) issuer = c;
  }

  const bool any_source = options.revocation != nullptr || !options.crl_files.empty() ||
                          !options.ocsp_response_files.empty() || options.online;
  if (!any_source) {
    report.revocation = pki::RevocationStatus::NotChecked;
    return;
  }
  if (!issuer) {
    report.revocation = pki::RevocationStatus::Unknown;
    report.note({"revocation.issuer_unknown", whom(certificate)});
    return;
  }
  try {
    std::unique_ptr<pki::RevocationChecker> own;
    const pki::RevocationChecker* checker = options.revocation;
    if (checker == nullptr) {
      own = std::make_unique<pki::RevocationChecker>(pki::RevocationOptions{options.online, std::chrono::seconds(10)});
      for (const auto& f : options.crl_files) own->add_crl_file(f);
      for (const auto& f : options.ocsp_response_files) own->add_ocsp_response_file(f);
      checker = own.get();
    }
    pki::RevocationResult r = checker->check(certificate, *issuer, at);
    report.revocation = r.status;
    if (r.status == pki::RevocationStatus::Revoked) {
      // RFC 5280 names a revocation without a reason code "unspecified".
      report.fail(
          {"revocation.revoked", whom(certificate, {{"since", r.revoked_at ? format_instant_utc(*r.revoked_at) : "?"},
                                                    {"reason", r.reason.empty() ? "unspecified" : r.reason},
                                                    {"source", r.source.empty() ? "?" : r.source}})});
    } else if (r.status == pki::RevocationStatus::Unknown) {
      report.note({"revocation.unknown", whom(certificate)});
    }
    for (std::size_t i = 0; i < r.errors.size(); ++i) {
      // A RevocationChecker that words no finding (a test double) still gets a code.
      Finding f = i < r.findings.size() ? r.findings[i] : Finding{"revocation.source_failed", {{"detail", r.errors[i]}}};
      report.note(f);
    }
  } catch (const Error& e) {
    report.revocation = pki::RevocationStatus::Unknown;
    report.note({"revocation.check_failed", {{"detail", e.full_message()}}});
  }
}

}  // namespace qujat::dsig
