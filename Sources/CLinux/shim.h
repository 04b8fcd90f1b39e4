#ifndef TRIGGERGATE_CLINUX_SHIM_H
#define TRIGGERGATE_CLINUX_SHIM_H

/* Linux calls that Swift's Glibc module does not import. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

#endif
