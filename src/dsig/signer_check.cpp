#include "qujat/dsig/signer_check.h"

#include <memory>

#include "qujat/common/error.h"

namespace qujat::dsig {

namespace {
std::string who(const pki::Certificate& c) {
  return "certificate " + c.subject() + " (serial " + c.serial_hex() + ")";
}
// The same certificate as the params of a coded finding.
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
    report.fail("cannot read the signer's identity from " + who(certificate) + ": " + e.full_message(),
                {"certificate.identity_unreadable", whom(certificate, {{"detail", e.full_message()}})});
  }

  // NCA issues every holder two keys: AUTH (EKU clientAuth, no
  // nonRepudiation) to log in, and a signing key for documents. A document
  // signed with the AUTH key is not an electronic signature of its holder.
  if (options.require_signing_key && report.signer.authentication_key && !report.signer.signing_key)
    report.fail(who(certificate) + " is an authentication (AUTH) key: extended key usage clientAuth without "
                                   "nonRepudiation; a document must be signed with the holder's signing key",
                {"certificate.authentication_only", whom(certificate)});

  report.time = pki::time_status(certificate, at);
  if (*report.time == pki::TimeStatus::Expired)
    report.fail(who(certificate) + " expired on " + format_instant_utc(certificate.not_after()) +
                    ", before the time of the check " + format_instant_utc(at),
                {"certificate.expired",
                 whom(certificate, {{"not_after", format_instant_utc(certificate.not_after())},
                                    {"at", format_instant_utc(at)}})});
  else if (*report.time == pki::TimeStatus::NotYetValid)
    report.fail(who(certificate) + " is valid only from " + format_instant_utc(certificate.not_before()) +
                    ", after the time of the check " + format_instant_utc(at),
                {"certificate.not_yet_valid",
                 whom(certificate, {{"not_before", format_instant_utc(certificate.not_before())},
                                    {"at", format_instant_utc(at)}})});

  std::optional<pki::Certificate> issuer;
  if (options.trust.empty()) {
    report.chain = ChainStatus::NotChecked;
    if (options.require_trusted_chain)
      report.fail("no trust anchors were given (--trust): anyone can make a certificate with this name "
                  "and IIN, so only the cryptography was checked, not who signed",
                  {"chain.no_anchors", {}});
    else
      report.note("no trust anchors given: the certification path was not checked", {"chain.not_checked", {}});
  } else {
    try {
      pki::ChainResult chain = pki::verify_chain(certificate, options.trust, at, extra_certificates);
      report.chain = chain.trusted ? ChainStatus::Trusted : ChainStatus::Untrusted;
      if (chain.path.size() >= 2) issuer = chain.path[1];
      if (!chain.trusted) {
        report.fail("the certification path of " + who(certificate) + " does not lead to a trust anchor",
                    {"chain.untrusted", whom(certificate)});
        for (std::size_t i = 0; i < chain.errors.size(); ++i)
          report.fail(chain.errors[i], i < chain.findings.size()
                                           ? chain.findings[i]
                                           : Finding{"chain.check_failed", whom(certificate, {{"detail", chain.errors[i]}})});
      } else if (chain.time != pki::TimeStatus::WithinValidity && *report.time == pki::TimeStatus::WithinValidity) {
        report.fail("a CA certificate on the path of " + who(certificate) + " is " +
                        std::string(pki::name(chain.time)) + " at " + format_instant_utc(at),
                    {chain.time == pki::TimeStatus::Expired ? "chain.ca_expired" : "chain.ca_not_yet_valid",
                     whom(certificate, {{"at", format_instant_utc(at)}})});
      }
    } catch (const Error& e) {
      report.chain = ChainStatus::Untrusted;
      report.fail("cannot check the certification path of " + who(certificate) + ": " + e.full_message(),
                  {"chain.check_failed", whom(certificate, {{"detail", e.full_message()}})});
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
    report.note("revocation not checked: the issuer of " + who(certificate) + " is not known",
                {"revocation.issuer_unknown", whom(certificate)});
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
      std::string m = who(certificate) + " is revoked";
      if (r.revoked_at) m += " since " + format_instant_utc(*r.revoked_at);
      if (!r.reason.empty()) m += " (" + r.reason + ")";
      if (!r.source.empty()) m += " according to " + r.source;
      // RFC 5280 names a revocation without a reason code "unspecified".
      report.fail(m, {"revocation.revoked",
                      whom(certificate, {{"since", r.revoked_at ? format_instant_utc(*r.revoked_at) : "?"},
                                         {"reason", r.reason.empty() ? "unspecified" : r.reason},
                                         {"source", r.source.empty() ? "?" : r.source}})});
    } else if (r.status == pki::RevocationStatus::Unknown) {
      report.note("revocation status of " + who(certificate) + " is unknown",
                  {"revocation.unknown", whom(certificate)});
    }
    for (std::size_t i = 0; i < r.errors.size(); ++i) {
      // A RevocationChecker that words no finding (a test double) still gets a code.
      Finding f = i < r.findings.size() ? r.findings[i] : Finding{"revocation.source_failed", {{"detail", r.errors[i]}}};
      report.note("revocation: " + r.errors[i], f);
    }
  } catch (const Error& e) {
    report.revocation = pki::RevocationStatus::Unknown;
    report.note("revocation could not be checked: " + e.full_message(),
                {"revocation.check_failed", {{"detail", e.full_message()}}});
  }
}

}  // namespace qujat::dsig
