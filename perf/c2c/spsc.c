/*
 * The ring's 1 -> 1 protocol in C, as a floor for OneToOne.Long: what the hardware gives a cursor-based single-producer
 * ring of 1024 8-byte slots, without a runtime, with and without the consumer's linger.
 *
 * Producer (CPU 0): writes slot i, then release-stores the cursor i; before running a whole ring ahead it reads the
 * consumer's sequence (cached claim limit, as SingleProducerSequencer does). Consumer (CPU 1): acquire-loads the cursor,
 * sums the slots up to it, release-stores its sequence. With a linger (BATCH NS), a batch smaller than BATCH events
 * waits until BATCH are available or NS ns have passed, re-reading the cursor every NS/8 ns, as
 * BatchEventProcessor.SetLinger does. Prints events/s and checks the sum.
 *
 *   gcc -O2 -pthread perf/c2c/spsc.c -o /tmp/c2c-spsc && /tmp/c2c-spsc && /tmp/c2c-spsc 256 2000
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RING 1024
#define MASK (RING - 1)
#define EVENTS 100000000L

static _Alignas(64) _Atomic long cursor = -1;
static _Alignas(64) _Atomic long consumed = -1;
static _Alignas(64) long slots[RING];
static _Alignas(64) long sum;
static long linger_batch;
static long linger_ns;

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0)
    {
        fprintf(stderr, "cannot pin to CPU %d\n", cpu);
        exit(2);
    }
}

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *consumer(void *unused)
{
    (void)unused;
    pin(1);
    long next = 0, total = 0;
    while (next < EVENTS)
    {
        long available;
        while ((available = atomic_load_explicit(&cursor, memory_order_acquire)) < next)
        {
            _mm_pause();
        }

        if (available - next + 1 < linger_batch)
        {
            long start = now_ns(), poll = start + linger_ns / 8, now = start;
            while (now - start < linger_ns)
            {
                if (now >= poll)
                {
                    available = atomic_load_explicit(&cursor, memory_order_acquire);
                    if (available - next + 1 >= linger_batch)
                    {
                        break;
                    }

                    poll = now + linger_ns / 8;
                }

                _mm_pause();
                now = now_ns();
            }

            available = atomic_load_explicit(&cursor, memory_order_acquire);
        }

        for (; next <= available; next++)
        {
            total += slots[next & MASK];
        }

        atomic_store_explicit(&consumed, available, memory_order_release);
    }

    sum = total;
    return NULL;
}

int main(int argc, char **argv)
{
    linger_batch = argc > 2 ? atol(argv[1]) : 0;
    linger_ns = argc > 2 ? atol(argv[2]) : 0;
    pin(0);
    pthread_t thread;
    pthread_create(&thread, NULL, consumer, NULL);
    long start = now_ns();
    long limit = RING - 1;
    for (long i = 0; i < EVENTS; i++)
    {
        if (i > limit)
        {
            long gate;
            while (i - RING > (gate = atomic_load_explicit(&consumed, memory_order_acquire)))
            {
                _mm_pause();
            }

            limit = gate + RING;
        }

        slots[i & MASK] = i;
        atomic_store_explicit(&cursor, i, memory_order_release);
    }

    pthread_join(thread, NULL);
    double seconds = (now_ns() - start) / 1e9;
    int ok = sum == EVENTS * (EVENTS - 1) / 2;
    printf("linger %ld:%ld  %.1fM events/s  sum %s\n", linger_batch, linger_ns, EVENTS / seconds / 1e6, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
