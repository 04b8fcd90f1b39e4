#ifndef TRIGGERGATE_CLINUX_SHIM_H
#define TRIGGERGATE_CLINUX_SHIM_H

/* Linux calls that Swift's Glibc module does not import. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>

/* accept4 is declared only under _GNU_SOURCE, which Swift's Glibc module does not set. */
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/* Accepts a connection as a non-blocking, close-on-exec descriptor in one call. */
static inline int tg_accept_nonblocking(int fd) {
    return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

#endif
