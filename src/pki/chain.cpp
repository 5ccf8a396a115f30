#include "qujat/pki/chain.h"
namespace qujat::pki {}
