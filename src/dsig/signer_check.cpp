#include "qujat/dsig/signer_check.h"

#include <memory>

#include "qujat/common/error.h"

namespace qujat::dsig {

namespace {
std::string who(const pki::Certificate& c) {
  return "certificate " + c.subject() + " (serial " + c.serial_hex() + ")";
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
    report.errors.push_back("cannot read the signer's identity from " + who(certificate) + ": " + e.full_message());
  }

  report.time = pki::time_status(certificate, at);
  if (*report.time == pki::TimeStatus::Expired)
    report.errors.push_back(who(certificate) + " expired on " + format_instant_utc(certificate.not_after()) +
                            ", before the time of the check " + format_instant_utc(at));
  else if (*report.time == pki::TimeStatus::NotYetValid)
    report.errors.push_back(who(certificate) + " is valid only from " + format_instant_utc(certificate.not_before()) +
                            ", after the time of the check " + format_instant_utc(at));

  std::optional<pki::Certificate> issuer;
  if (options.trust.empty()) {
    report.chain = ChainStatus::NotChecked;
    if (options.require_trusted_chain)
      report.errors.push_back("no trust anchors were given (--trust): anyone can make a certificate with this name "
                              "and IIN, so only the cryptography was checked, not who signed");
    else
      report.notes.push_back("no trust anchors given: the certification path was not checked");
  } else {
    try {
      pki::ChainResult chain = pki::verify_chain(certificate, options.trust, at, extra_certificates);
      report.chain = chain.trusted ? ChainStatus::Trusted : ChainStatus::Untrusted;
      if (chain.path.size() >= 2) issuer = chain.path[1];
      if (!chain.trusted) {
        report.errors.push_back("the certification path of " + who(certificate) + " does not lead to a trust anchor");
        for (const auto& e : chain.errors) report.errors.push_back(e);
      } else if (chain.time != pki::TimeStatus::WithinValidity && *report.time == pki::TimeStatus::WithinValidity) {
        report.errors.push_back("a CA certificate on the path of " + who(certificate) + " is " +
                                std::string(pki::name(chain.time)) + " at " + format_instant_utc(at));
      }
    } catch (const Error& e) {
      report.chain = ChainStatus::Untrusted;
      report.errors.push_back("cannot check the certification path of " + who(certificate) + ": " + e.full_message());
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
    report.notes.push_back("revocation not checked: the issuer of " + who(certificate) + " is not known");
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
      report.errors.push_back(m);
    } else if (r.status == pki::RevocationStatus::Unknown) {
      report.notes.push_back("revocation status of " + who(certificate) + " is unknown");
    }
    for (const auto& e : r.errors) report.notes.push_back("revocation: " + e);
  } catch (const Error& e) {
    report.revocation = pki::RevocationStatus::Unknown;
    report.notes.push_back("revocation could not be checked: " + e.full_message());
  }
}

}  // namespace qujat::dsig
