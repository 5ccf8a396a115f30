#include "qujat/pki/revocation.h"
namespace qujat::pki {}
