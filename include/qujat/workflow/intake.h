// Signed intake: an application arrives as a CMS signature (attached, as
// NCALayer's createCMSSignatureFromBase64 makes it) over the application
// JSON, with its files named by SHA-256 in `attachments` so the signature
// covers them. It is registered only when the signature is valid, chains to
// the office's trust, is current, not revoked and made with a signing key,
// and the signer is the applicant (and the logged-in user); otherwise it is
// refused at the door with a coded reason and only the attempt is audited.
// Registration follows the working calendar and the service's cut-off.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "qujat/common/bytes.h"
#include "qujat/store/applications.h"
#include "qujat/workflow/actor.h"
#include "qujat/workflow/office.h"

namespace qujat::workflow {

struct Submission {
  Bytes signed_application;            // CMS SignedData, DER or base64, with the JSON inside
  std::map<std::string, Bytes> files;  // lowercase SHA-256 hex -> the file
};

// Limits on what one submission may carry (a larger one is refused by field).
struct IntakeLimits {
  std::size_t max_files = 100;
  std::size_t max_file_bytes = 20u << 20;
  std::size_t max_total_bytes = 64u << 20;
};

class Intake {
 public:
  explicit Intake(const LicensingOffice& office, IntakeLimits limits = {});

  // Registers the application and returns it as stored. `submitter`, when
  // given, is the logged-in user, who must be the signer. Throws
  // ProcedureError (kind signature/invalid) with a coded reason; the refused
  // attempt is audited and nothing else is stored.
  store::ApplicationRecord submit(const Submission& submission, const std::optional<Actor>& submitter) const;

 private:
  store::ApplicationRecord register_application(const Submission& submission, const std::optional<Actor>& submitter,
                                                Instant received_at) const;
  const LicensingOffice& office_;
  IntakeLimits limits_;
};

// A new application id: a random UUID (version 4), unguessable.
std::string new_application_id();

}  // namespace qujat::workflow
