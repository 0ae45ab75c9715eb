// @ts-check
/**
 * GREEN-API counts each lane's (instance and method) accepted requests in a rolling second and
 * answers 429 to those over the limit. The window, and the measures taken against it, written
 * once for the simulator, the virtual-clock tests and the benchmark.
 */

const WINDOW_MS = 1000;

/**
 * Admits a request arriving at `now` when fewer than `limit` accepted ones (`accepted`, in
 * arrival order) arrived in the second before it, and records it; rejected requests do not count.
 * @param {number[]} accepted @param {number} limit @param {number} now
 */
function admit(accepted, limit, now) {
	let inWindow = 0;
	for (let i = accepted.length - 1; i >= 0 && now - accepted[i] < WINDOW_MS; i--) inWindow++;
	if (inWindow >= limit) return false;
	accepted.push(now);
	return true;
}

/** Most of `times` in any half-open window of a second. @param {number[]} times */
function busiestSecond(times) {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= WINDOW_MS) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

/**
 * The whole span's pace: how many, divided by the time from the first of `times` to the last (in
 * seconds). For the service's accepted requests, it is what a user sees: how long all the chats took.
 * @param {number[]} times
 */
function wholeSpanPace(times) {
	if (times.length < 2) return 0;
	let first = Infinity;
	let last = -Infinity;
	for (const time of times) {
		first = Math.min(first, time);
		last = Math.max(last, time);
	}
	return times.length / ((last - first) / WINDOW_MS);
}

/** Per second from the second of `times` to the last (the steady pace, without the opening request). @param {number[]} times */
function steadyRate(times) {
	const sorted = [...times].sort((a, b) => a - b);
	return sorted.length > 2 ? (sorted.length - 2) / ((sorted[sorted.length - 1] - sorted[1]) / WINDOW_MS) : 0;
}

module.exports = { WINDOW_MS, admit, busiestSecond, wholeSpanPace, steadyRate };
