#ifndef TRIGGERGATE_CLINUX_SHIM_H
#define TRIGGERGATE_CLINUX_SHIM_H

/* Linux calls that Swift's Glibc module does not import. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sched.h>
#include <pthread.h>

/* accept4 is declared only under _GNU_SOURCE, which Swift's Glibc module does not set. */
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/* Accepts a connection as a non-blocking, close-on-exec descriptor in one call. */
static inline int tg_accept_nonblocking(int fd) {
    return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/* pthread_setname_np is declared only under _GNU_SOURCE too. */
extern int pthread_setname_np(pthread_t thread, const char *name);

/* sched_getaffinity is declared only under _GNU_SOURCE too; CPU_COUNT is a GNU macro, so the set is counted here. */
extern int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set);

/* How many processors this thread may run on, or 1 when that cannot be read. */
static inline int tg_allowed_processor_count(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
    int count = 0;
    for (unsigned i = 0; i < sizeof(set.__bits) / sizeof(set.__bits[0]); i++) count += __builtin_popcountl(set.__bits[i]);
    return count > 0 ? count : 1;
}

#endif
