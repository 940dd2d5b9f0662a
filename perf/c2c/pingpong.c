/*
 * Cache-line round trip between two CPUs: the physical floor under the ring's ping-pong latency test.
 *
 * Thread A (CPU 0) stores a counter in one cache line and spins until thread B (CPU 1) echoes it in another line;
 * each round trip therefore moves both lines across once. Every 200 ms it prints the mean round trip of 20,000 round
 * trips, in ns, so placement changes of the virtual CPUs over time show up as jumps in the series.
 *
 *   gcc -O2 -pthread perf/c2c/pingpong.c -o /tmp/c2c-pingpong && /tmp/c2c-pingpong 20
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) _Atomic long ping;
static _Alignas(64) _Atomic long pong;
static _Alignas(64) _Atomic int stop;

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

static void *echo(void *unused)
{
    (void)unused;
    pin(1);
    long seen = 0;
    while (!atomic_load_explicit(&stop, memory_order_relaxed))
    {
        long value = atomic_load_explicit(&ping, memory_order_acquire);
        if (value != seen)
        {
            seen = value;
            atomic_store_explicit(&pong, value, memory_order_release);
        }
    }
    return NULL;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 10;
    const int round_trips = 20000;
    pin(0);
    pthread_t echo_thread;
    pthread_create(&echo_thread, NULL, echo, NULL);
    long value = 0;
    double end = now_ns() + seconds * 1e9;
    while (now_ns() < end)
    {
        double start = now_ns();
        for (int i = 0; i < round_trips; i++)
        {
            value++;
            atomic_store_explicit(&ping, value, memory_order_release);
            while (atomic_load_explicit(&pong, memory_order_acquire) != value)
            {
            }
        }
        printf("%.0f ", (now_ns() - start) / round_trips);
        fflush(stdout);
        struct timespec pause = {0, 200000000};
        nanosleep(&pause, NULL);
    }
    atomic_store(&stop, 1);
    pthread_join(echo_thread, NULL);
    printf("\n");
    return 0;
}
