// When the OS must wake the app: the core says when (`next_wakeup_ms`) and
// whether deliveries wait; this turns it into alarm and job requests that the
// Android (AlarmManager + WorkManager) and iOS (BGTaskScheduler) adapters apply.
package org.parasol.shared

/** What the platform scheduler should hold after a call into the alert engine. */
data class WakeupPlan(
    /** Run the engine's due work now (a wake-up time already passed). */
    val runNow: Boolean,
    /** Set one alarm for this instant (ms since the epoch); null: cancel it. */
    val alarmAtMs: Long?,
    /** Keep a "when the network is back, flush the outbox" job registered. */
    val flushWhenOnline: Boolean,
)

/** Decides the plan. Pure: the same inputs always give the same plan. */
object WakeupPlanner {
    /**
     * @param nextWakeupMs the core's `next_wakeup_ms()` (null: nothing scheduled)
     * @param pendingDeliveries deliveries still waiting after the last flush
     * @param nowMs now
     */
    fun plan(nextWakeupMs: Long?, pendingDeliveries: Long, nowMs: Long): WakeupPlan = WakeupPlan(
        runNow = nextWakeupMs != null && nextWakeupMs <= nowMs,
        alarmAtMs = nextWakeupMs?.takeIf { it > nowMs },
        flushWhenOnline = pendingDeliveries > 0,
    )
}

/** The platform side of scheduling (Android: AlarmManager + WorkManager). */
interface WakeupScheduler {
    /** Replaces the single alarm with one at [atMs]. */
    fun setAlarm(atMs: Long)

    /** Removes the alarm. */
    fun cancelAlarm()

    /** Registers or removes the network-constrained flush job. */
    fun setFlushWhenOnline(enabled: Boolean)
}

/**
 * Applies the core's schedule to the platform. Call [reschedule] after every
 * action that may change it (trigger, cancel, check-in, app start) and
 * [onWake] from the alarm receiver / worker / background task.
 */
class WakeupCoordinator(
    private val alerts: AlertsClient,
    private val scheduler: WakeupScheduler,
    private val clock: Clock = Clock.System,
) {
    /** Asks the core when to wake and updates the alarm and job. Returns the plan applied. */
    suspend fun reschedule(pendingDeliveries: Long = 0): WakeupPlan {
        val plan = WakeupPlanner.plan(alerts.nextWakeupMs(), pendingDeliveries, clock.nowMs())
        apply(plan)
        return plan
    }

    /**
     * The OS woke us: run due work (fires countdowns and missed check-ins,
     * sends and retries), then schedule the next wake-up. Loops at most a few
     * times if more work came due meanwhile.
     */
    suspend fun onWake(): WakeupPlan {
        var plan: WakeupPlan
        var rounds = 0
        do {
            val report = alerts.tick()
            plan = WakeupPlanner.plan(report.nextWakeupMs, report.pending.toLong(), clock.nowMs())
            rounds++
        } while (plan.runNow && rounds < 3)
        apply(plan.copy(runNow = false))
        return plan
    }

    private fun apply(plan: WakeupPlan) {
        if (plan.alarmAtMs != null) scheduler.setAlarm(plan.alarmAtMs) else if (!plan.runNow) scheduler.cancelAlarm()
        if (plan.runNow) scheduler.setAlarm(clock.nowMs())
        scheduler.setFlushWhenOnline(plan.flushWhenOnline)
    }
}
