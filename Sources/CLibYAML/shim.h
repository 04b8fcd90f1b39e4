#ifndef TRIGGERGATE_CLIBYAML_SHIM_H
#define TRIGGERGATE_CLIBYAML_SHIM_H

#include <yaml.h>

#endif
