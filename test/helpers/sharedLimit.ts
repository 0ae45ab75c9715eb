/**
 * Several clients, each with its own Pacer (as separate n8n processes have), sharing one
 * GREEN-API lane whose limit a simulated service enforces the way GREEN-API does: at most
 * `limit` accepted requests in any rolling second, 429 for the rest (not counted). All on one
 * virtual clock, so a run is exact and repeatable.
 */
import { Pacer } from '../../nodes/GreenApi/transport/pacer';
import { admit } from '../../sandbox/rollingSecond';
import { VirtualClock } from './virtualClock';

export interface SharedLimitSpec {
	clients: number;
	/** Requests each client must get accepted (one number for all, or one per client). */
	itemsPerClient: number | number[];
	limit: number;
	/** Time from send to answer. */
	roundTripMs: number;
	/** When each client starts, ms after the run starts; by default somewhere in the first 100 ms. */
	startOffsetsMs?: number[];
	/** Concurrent items per client (n8n's executor keeps up to 100 in flight). */
	inFlight?: number;
	/** Seeds the network's jitter: each request takes 0–`jitterMs` longer to arrive, and as much again to be answered. */
	seed?: number;
	jitterMs?: number;
	/**
	 * A busy machine: each of a client's timers fires late, 0–`stallMs` ms (uniform, seeded), as
	 * n8n processes sharing a few cores see. Arrivals then come late and sometimes bunched.
	 */
	stallMs?: number;
	/**
	 * Stalls, each from `atMs` after the run's start for `forMs`. Of the service (no `client`): it
	 * takes nothing in and answers nothing meanwhile, then takes in everything that came, at once
	 * (as the sandbox does when its process is held up), and sends the answers that fell due.
	 * Of one client's process: the requests its pacer lets go meanwhile leave only at the stall's end
	 * (n8n's HTTP stack did not get the CPU), and answers arriving meanwhile are read then too.
	 */
	stalls?: Array<{ atMs: number; forMs: number; client?: number }>;
	/** Also keep every request's send time, per client. */
	recordSent?: boolean;
}

export interface SharedLimitResult {
	/** Accepted arrival times at the service, all clients, and per client. */
	accepted: number[];
	acceptedBy: number[][];
	tooMany: number;
	/** Per client: when its requests were let go (with `recordSent`). */
	sentBy: number[][];
	/** Per client: arrival times of its requests answered 429. */
	refusedBy: number[][];
	/** Per client: when its last item was accepted and answered, ms after the run's start. */
	finishedAfterMs: number[];
	/** Per client: from its own start to its last item's answer (as an execution's duration is measured). */
	tookMs: number[];
	startedAt: number;
}

export async function runSharedLimit(spec: SharedLimitSpec): Promise<SharedLimitResult> {
	const clock = new VirtualClock();
	const startedAt = clock.now();
	const accepted: number[] = [];
	let tooMany = 0;
	const finishedAfterMs: number[] = [];
	const tookMs: number[] = [];
	const acceptedBy: number[][] = Array.from({ length: spec.clients }, () => []);
	const refusedBy: number[][] = Array.from({ length: spec.clients }, () => []);
	const sentBy: number[][] = Array.from({ length: spec.clients }, () => []);
	const random = seededRandom(spec.seed ?? 1);
	const jitter = () => random() * (spec.jitterMs ?? 10);
	/** Waits out a stall of the service (no `client`) or of that client's process, if one is on now. */
	const waitOutStall = async (client?: number) => {
		const now = clock.now();
		const stall = spec.stalls?.find((s) => s.client === client && now > startedAt + s.atMs && now < startedAt + s.atMs + s.forMs);
		if (stall) await clock.sleep(startedAt + stall.atMs + stall.forMs - now);
	};
	const clients = Array.from({ length: spec.clients }, async (_, client) => {
		const stall = spec.stallMs ?? 0;
		// Most timers fire a millisecond or two late; one in ten waits for a busy event loop.
		const late = () => (random() < 0.1 ? random() * stall : random() * 2);
		const pacer = new Pacer(stall ? { now: clock.now, sleep: async (ms) => await clock.sleep(ms + late()) } : clock, random);
		const offset = spec.startOffsetsMs?.[client] ?? random() * 100;
		if (offset) await clock.sleep(offset);
		const items = typeof spec.itemsPerClient === 'number' ? spec.itemsPerClient : spec.itemsPerClient[client];
		let next = 0;
		const worker = async () => {
			while (next < items) {
				next++;
				for (;;) {
					const release = await pacer.acquire('instance|archiveChat', spec.limit);
					if (spec.recordSent) sentBy[client].push(clock.now());
					await waitOutStall(client);
					await clock.sleep(jitter());
					await waitOutStall();
					const ok = admit(accepted, spec.limit, clock.now());
					if (ok) acceptedBy[client].push(clock.now());
					else {
						tooMany++;
						refusedBy[client].push(clock.now());
					}
					await clock.sleep(spec.roundTripMs + jitter());
					await waitOutStall();
					await waitOutStall(client);
					release(ok ? 'ok' : 'throttled');
					if (ok) break;
				}
			}
		};
		await Promise.all(Array.from({ length: spec.inFlight ?? 100 }, worker));
		finishedAfterMs[client] = clock.now() - startedAt;
		tookMs[client] = finishedAfterMs[client] - offset;
	});
	const done = Promise.all(clients);
	await clock.runAll();
	await done;
	return { accepted, acceptedBy, tooMany, refusedBy, sentBy, finishedAfterMs, tookMs, startedAt };
}

/** mulberry32: a small seeded generator, so a run with jitter is still repeatable. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
