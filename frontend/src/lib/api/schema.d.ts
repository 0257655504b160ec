/**
 * Generated — do not edit. Regenerate with `npm run gen:api`.
 * Source: src/lib/api/openapi.yaml (written by drf-spectacular), via openapi-typescript.
 */

export interface paths {
    "/api/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["api_root"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/me/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The signed-in user. */
        get: operations["users_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Database, broker and Celery worker liveness; 503 when any is down. */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiRootLinksOutput: {
            schema: string;
            docs: string;
            health: string;
        };
        ApiRootOutput: {
            name: string;
            version: string;
            links: components["schemas"]["ApiRootLinksOutput"];
        };
        /** @description The body of every 4xx (and 5xx) response. */
        ErrorOutput: {
            /** @description What went wrong, for a person to read. */
            message: string;
            /** @description Details: `fields` maps each invalid field to its problems. */
            extra: {
                [key: string]: unknown;
            };
        };
        HealthCheckOutput: {
            ok: boolean;
            detail: string;
            /** Format: double */
            latency_ms: number;
        };
        HealthChecksOutput: {
            database: components["schemas"]["HealthCheckOutput"];
            broker: components["schemas"]["HealthCheckOutput"];
            worker: components["schemas"]["HealthCheckOutput"];
        };
        HealthOutput: {
            status: components["schemas"]["StatusEnum"];
            checks: components["schemas"]["HealthChecksOutput"];
        };
        /**
         * @description * `user` - User
         *     * `reviewer` - Reviewer
         *     * `admin` - Admin
         * @enum {string}
         */
        RoleEnum: "user" | "reviewer" | "admin";
        /**
         * @description * `ok` - ok
         *     * `unavailable` - unavailable
         * @enum {string}
         */
        StatusEnum: "ok" | "unavailable";
        UserMeOutput: {
            id: number;
            /** Format: email */
            email: string;
            display_name: string;
            role: components["schemas"]["RoleEnum"];
            /** Format: date-time */
            date_joined: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    api_root: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiRootOutput"];
                };
            };
        };
    };
    users_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMeOutput"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOutput"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOutput"];
                };
            };
        };
    };
}
