#ifndef TRANSPORT_LOCAL_H
#define TRANSPORT_LOCAL_H
/* The in-process transport to the emulator: no sockets. Completions are
 * queued and announced through an eventfd, so they arrive through the same
 * poll loop as network ones. */
#include "emulator/emulator.h"
#include "transport/transport.h"

/* emu is not owned. */
transport *local_transport_new(emulator *emu);
/* Requests answered so far (for benchmarks and tests). */
unsigned long local_transport_count(transport *t);

#endif
