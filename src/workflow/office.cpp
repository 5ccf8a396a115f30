#include "qujat/workflow/office.h"

namespace qujat::workflow {

Date LicensingOffice::today() const { return local_date(clock.now()); }

}  // namespace qujat::workflow
