// Who acts: a person identified by their NCA certificate (IIN, and the BIN
// of the organisation for an employee's key) with the roles the office gives
// them. Applicants act on their own applications; officers (the IINs of the
// configuration's [officers]) run the procedure.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace qujat::workflow {

struct Actor {
  std::string iin;          // the person
  std::string bin;          // their organisation ("" for an individual's key)
  std::string name;         // common name on the certificate
  std::vector<std::string> roles;  // "applicant", "officer", "head"; and the key's own:
                                   // "first_head", "authorised_signatory", "employee", ...

  bool has_role(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }
  bool is_officer() const { return has_role("officer") || has_role("head"); }
  // The procedure's own moves (the MFA worker, the clock).
  static Actor system(std::string name) { return Actor{"", "", std::move(name), {"system"}}; }
  // For the history and the audit: the IIN, or the system's name.
  std::string label() const { return iin.empty() ? name : iin; }
};

}  // namespace qujat::workflow
