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
    "/api/admin/audit/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The audit log, newest first: reviews and changes to users and learnwares. */
        get: operations["audit_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/learnwares/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every learnware in any status, newest first, for reviewers and admins. */
        get: operations["admin_learnwares_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The dashboard's figures: totals and a day-by-day series (reviewers, admins). */
        get: operations["admin_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/world/projection/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The world in 2-D: one point per listed learnware (PCA of its mean system-spec
         *     embedding), coloured by island (the feature space it comes from).
         */
        get: operations["admin_world_projection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/world/versions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Specification-world engine versions, newest first; POST trains a new one. */
        get: operations["admin_world_versions_list"];
        put?: never;
        /** @description Queue the training of a new version on every eligible table learnware; once trained, every eligible learnware's system spec is generated under it and it becomes the active version (the previous one is retired, kept for rollback). Poll the list to follow it. 400: no eligible table learnware; 409: a training is already running. */
        post: operations["admin_world_versions_train"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/world/versions/{engine_version}/activate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description 200: active now. 202: learnwares were approved since the version was trained; a worker generates their system specs, then activates it. 404: unknown version; 409: the version is training or failed. */
        post: operations["admin_world_versions_activate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-tokens/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The signed-in user's API tokens that are not revoked, newest first (the secrets are never shown again). */
        get: operations["api_tokens_list"];
        put?: never;
        /** @description Create a named API token and show its secret once. Needs a verified e-mail address and a web session (a token cannot make tokens). */
        post: operations["api_tokens_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/api-tokens/{api_token_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Revoke one of the signed-in user's API tokens; it stops working at once. */
        delete: operations["api_tokens_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/csrf/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Set the CSRF cookie the web app must echo on unsafe requests. */
        get: operations["auth_csrf"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/email-verification/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description E-mail a new verification link to the signed-in, unverified user. */
        post: operations["auth_email_verification_send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/email-verification/confirm/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Confirm the e-mail address with the token from the verification link. */
        post: operations["auth_email_verification_confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Sign in with e-mail and password; starts a session (cookie) for the web app.
         *
         *     Needs the CSRF token (``X-CSRFToken``) even though nobody is signed in yet, so
         *     another site cannot sign a visitor into an account of its choosing.
         */
        post: operations["auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description End the session. */
        post: operations["auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password-reset/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description E-mail a password-reset link. The answer is the same whether or not an
         *     account has this address.
         */
        post: operations["auth_password_reset_request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password-reset/confirm/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Choose a new password with the token from the reset link (single use). */
        post: operations["auth_password_reset_confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/register/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Create an account; a verification link is e-mailed to the address.
         *
         *     The answer is the same for a new address and one that already has an account
         *     (its owner gets an e-mail saying so instead): it does not reveal who has one.
         */
        post: operations["auth_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bundles/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description A zip that runs offline with two commands (`pip install -r requirements.txt`, `python run.py input.csv`): `learnwares/<id>.zip`, the `learnware_core/` library, `requirements.txt`, `run.py`, `bundle.json` and a README. Counts a download of each learnware. Several approved learnwares are combined by `run.py` with `JobSelectorReuser` (table learnwares with weights) or `AveragingReuser`. */
        post: operations["bundles_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/auth/login_by_token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description `token` is one of your API tokens; `data.token` is the bearer credential for later calls. With no body (the client's `is_connected`) the answer is code 21. Wrong e-mail or token: code 53. Business errors are HTTP 200 with `code != 0` (the original's convention); no credentials on a protected endpoint is HTTP 200 with code 11, a bad token HTTP 401. */
        post: operations["compat_auth_login_by_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description A no-op, as in the original: the API token stays valid (revoke it in the web app). */
        post: operations["compat_auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/engine/download_learnware": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The package as uploaded (the live version; owners and staff get the newest if none is approved). Errors are non-200 here: the client saves any 200 body as the zip. */
        get: operations["compat_engine_download_learnware"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/engine/learnware_info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A learnware you may see (approved ones; your own; all for staff). Code 41 if not found. Business errors are HTTP 200 with `code != 0` (the original's convention); no credentials on a protected endpoint is HTTP 200 with code 11, a bad token HTTP 401. */
        get: operations["compat_engine_learnware_info"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/engine/search_learnware": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description The original's search: semantic filters (several values of one key mean any of them; Name is free text), optional RKME file; `learnware_list_single` / `learnware_list_multi` with `matching` scores. A table RKME no learnware shares the columns of, with column descriptions in the semantic specification's Input, is searched in the specification world (`is_hetero: true`). Too many of your searches still running (`BMW_JOBS_IN_FLIGHT_MAX`): HTTP 429 with `Retry-After`, code 21. */
        post: operations["compat_engine_search_learnware"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/engine/semantic_specification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The allowed semantic-specification values. */
        get: operations["compat_engine_semantic_specification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/user/add_learnware_uploaded": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Turn the chunks uploaded under `file_hash` into a learnware (its MD5 is verified first). Codes: 41 bad semantic specification, 51 missing or invalid package, 61 duplicate. Business errors are HTTP 200 with `code != 0` (the original's convention); no credentials on a protected endpoint is HTTP 200 with code 11, a bad token HTTP 401. */
        post: operations["compat_user_add_learnware_uploaded"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/user/chunked_upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Store one chunk of a package, keyed by the MD5 of the whole file. Staging is per user, limited in size, resumable (a chunk sent again replaces the earlier one) and expires after a day. A first chunk of a file that already is a learnware: code 51. Business errors are HTTP 200 with `code != 0` (the original's convention); no credentials on a protected endpoint is HTTP 200 with code 11, a bad token HTTP 401. */
        post: operations["compat_user_chunked_upload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/user/delete_learnware": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Codes: 51 no such learnware, 41 not yours. Business errors are HTTP 200 with `code != 0` (the original's convention); no credentials on a protected endpoint is HTTP 200 with code 11, a bad token HTTP 401. */
        post: operations["compat_user_delete_learnware"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/user/list_learnware": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Your learnwares, `page` 0-based. Without `is_verified`: FAIL, WAITING, PROCESSING, QUEUE, then SUCCESS, newest first within each. */
        post: operations["compat_user_list_learnware"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compat/v1/user/update_learnware": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Edit the semantic specification, optionally with a new package: a new version, checked and reviewed like an upload; a listed learnware shows its approved specification until then. Codes: 71 unknown id, 31 not the owner, 41 bad specification, 51 bad package, 61 duplicate. Business errors are HTTP 200 with `code != 0` (the original's convention); no credentials on a protected endpoint is HTTP 200 with code 11, a bad token HTTP 401. */
        post: operations["compat_user_update_learnware"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Approved learnwares (newest first); POST uploads a new learnware. */
        get: operations["learnwares_list"];
        put?: never;
        /** @description Approved learnwares (newest first); POST uploads a new learnware. */
        post: operations["learnwares_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/{learnware_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["learnwares_retrieve"];
        put?: never;
        post?: never;
        delete: operations["learnwares_destroy"];
        options?: never;
        head?: never;
        /** @description Any change (name, description, tags, Data, Task, Input, Output) creates a new version of the same package that is checked (the sensitive-words check among the checks) and reviewed like an upload (202); a listed learnware keeps showing its approved text until then. Nothing changed: 200 with the learnware. */
        patch: operations["learnwares_update"];
        trace?: never;
    };
    "/api/learnwares/{learnware_id}/bundle/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A zip that runs offline with two commands (`pip install -r requirements.txt`, `python run.py input.csv`): `learnwares/<id>.zip`, the `learnware_core/` library, `requirements.txt`, `run.py`, `bundle.json` and a README. Counts a download of each learnware. The live (approved) version; owners and staff get the newest version if none is approved yet (as the download). */
        get: operations["learnwares_bundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/{learnware_id}/download/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The live (approved) version's package; owners and staff get the newest version if none is approved yet. */
        get: operations["learnwares_download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/{learnware_id}/predict/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Run an approved learnware on your small upload, in the checks' sandbox. */
        post: operations["learnwares_predict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/{learnware_id}/versions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["learnware_versions_list"];
        put?: never;
        post: operations["learnware_versions_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/mine/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The signed-in user's learnwares in every status, with the newest version's. */
        get: operations["my_learnwares_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/learnwares/search/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Search approved learnwares by tags, text and (optionally) your RKME. */
        post: operations["learnwares_search"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["notifications_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notifications/{notification_id}/read/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["notifications_read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/predict/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Run several approved learnwares combined by a reuser (a multiple result). */
        post: operations["learnwares_predict_multiple"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reviews/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Versions that passed their checks and wait for a reviewer, oldest first. */
        get: operations["reviews_queue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/search/examples/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Example user specifications to try on the search page (the demo market's). */
        get: operations["search_examples_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/search/examples/{example_id}/stat-spec/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description An example's statistical specification (RKME JSON), to search with. */
        get: operations["search_examples_stat_spec"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/semantic-vocabulary/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The values a semantic specification may use (for forms and clients). */
        get: operations["semantic_vocabulary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Users, newest first, with search and filters (reviewers and admins). */
        get: operations["users_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user_id}/deactivate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Block a user from signing in and from using API tokens (admins only). */
        post: operations["users_deactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user_id}/reactivate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Let a deactivated user sign in again (admins only). */
        post: operations["users_reactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/{user_id}/role/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Give a user the role user, reviewer or admin (admins only). */
        post: operations["users_role_set"];
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
        /** @description The signed-in user's profile. */
        get: operations["users_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description Change the signed-in user's display name. */
        patch: operations["users_me_update"];
        trace?: never;
    };
    "/api/users/me/password/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Change the password (the current one is required). Other sessions end. */
        post: operations["users_me_password_change"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/versions/{version_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A version with its check steps; poll it to follow checks live. */
        get: operations["versions_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/versions/{version_id}/download/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["versions_download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/versions/{version_id}/recheck/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["versions_recheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/versions/{version_id}/review/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["versions_review"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/versions/{version_id}/stat-spec/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The version's statistical specification (the RKME JSON in its package).
         *
         *     Public like the package itself; the search page offers listed learnwares' specs
         *     as examples to search with.
         */
        get: operations["versions_stat_spec"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/world/engine/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The specification-world engine (weights, loadable with `learnware_core.specworld.WorldEngine.from_bytes`), so users map their own rows for heterogeneous reuse; the `X-Engine-Version` header names it. */
        get: operations["world_engine_download"];
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
        /**
         * @description * `learnware.approve` - Approved a version
         *     * `learnware.reject` - Rejected a version
         *     * `learnware.update` - Edited a learnware
         *     * `learnware.delete` - Deleted a learnware
         *     * `learnware.recheck` - Re-ran a version's checks
         *     * `user.role` - Changed a user's role
         *     * `user.deactivate` - Deactivated a user
         *     * `user.reactivate` - Reactivated a user
         *     * `world.train` - Started a specification-world training
         *     * `world.activate` - Activated a specification-world engine
         * @enum {string}
         */
        ActionEnum: "learnware.approve" | "learnware.reject" | "learnware.update" | "learnware.delete" | "learnware.recheck" | "user.role" | "user.deactivate" | "user.reactivate" | "world.train" | "world.activate";
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
        ApiTokenCreateInputRequest: {
            name: string;
            /**
             * Format: date-time
             * @description Omit for no expiry.
             */
            expires_at?: string | null;
        };
        ApiTokenCreateOutput: {
            id: number;
            name: string;
            /** @description The public start of the token (`bmw_<prefix>_…`), to tell tokens apart. */
            prefix: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /**
             * Format: date-time
             * @description Updated at most once a minute.
             */
            last_used_at: string | null;
            readonly is_expired: boolean;
            /** @description The secret. Shown only in this response; store it now. */
            token: string;
        };
        ApiTokenOutput: {
            id: number;
            name: string;
            /** @description The public start of the token (`bmw_<prefix>_…`), to tell tokens apart. */
            prefix: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /**
             * Format: date-time
             * @description Updated at most once a minute.
             */
            last_used_at: string | null;
            readonly is_expired: boolean;
        };
        AuditActorOutput: {
            id: number;
            /** Format: email */
            email: string;
            display_name: string;
        };
        AuditEntryOutput: {
            id: number;
            actor: components["schemas"]["AuditActorOutput"] | null;
            action: components["schemas"]["ActionEnum"];
            target_type: string;
            target_id: number;
            target_label: string;
            detail: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            created_at: string;
        };
        BundleCreateInputRequest: {
            /** @description Approved learnwares, e.g. a multiple search result's. */
            learnware_ids: number[];
            /** @description Mixture weights, one per learnware (non-negative, sum > 0). */
            weights?: number[] | null;
        };
        CheckStepDetailsOutput: {
            /** @description The pickle scan step's findings. */
            pickle_scan: components["schemas"]["PickleScanOutput"] | null;
        };
        CheckStepOutput: {
            position: number;
            name: string;
            status: components["schemas"]["CheckStepStatusEnum"];
            message: string;
            log: string;
            /** @description Structured findings of the step, by kind. */
            details: components["schemas"]["CheckStepDetailsOutput"];
            /** Format: date-time */
            started_at: string | null;
            /** Format: double */
            duration_s: number | null;
        };
        /**
         * @description * `pending` - Pending
         *     * `running` - Running
         *     * `passed` - Passed
         *     * `failed` - Failed
         *     * `skipped` - Skipped
         * @enum {string}
         */
        CheckStepStatusEnum: "pending" | "running" | "passed" | "failed" | "skipped";
        CompatAddDataOutput: {
            /** @description 8-digit zero-padded id. */
            learnware_id: string;
        };
        CompatAddLearnwareUploadedInputRequest: {
            file_hash: string;
            /** @description The semantic specification as a JSON string (or object). */
            semantic_specification: unknown;
        };
        CompatAddOutput: {
            /** @description 0 on success, else the error code. */
            code: number;
            msg: string;
            data?: components["schemas"]["CompatAddDataOutput"];
        };
        CompatChunkedUploadInputRequest: {
            /**
             * Format: binary
             * @description The chunk's bytes (1 MiB).
             */
            chunk_file: string;
            /** @description MD5 hex of the whole file. */
            file_hash: string;
            /** @description Byte offset. */
            chunk_begin: number;
        };
        CompatInfoDataOutput: {
            learnware_info: components["schemas"]["CompatLearnwareInfoOutput"];
        };
        CompatInfoOutput: {
            /** @description 0 on success, else the error code. */
            code: number;
            msg: string;
            data?: components["schemas"]["CompatInfoDataOutput"];
        };
        CompatLearnwareIdInputRequest: {
            learnware_id: string;
        };
        CompatLearnwareInfoOutput: {
            learnware_id: string;
            /** @description `YYYY-MM-DD HH:MM:SS.ffffff UTC` */
            last_modify: string;
            /** @description SUCCESS, FAIL, WAITING, PROCESSING or QUEUE (see market/compat/selectors.py for the mapping). */
            verify_status: string;
            semantic_specification: unknown;
            user_id: number;
        };
        CompatLearnwareItemOutput: {
            learnware_id: string;
            /** @description `YYYY-MM-DD HH:MM:SS.ffffff UTC` */
            last_modify: string;
            /** @description SUCCESS, FAIL, WAITING, PROCESSING or QUEUE (see market/compat/selectors.py for the mapping). */
            verify_status: string;
            semantic_specification: unknown;
        };
        CompatListDataOutput: {
            learnware_list: components["schemas"]["CompatLearnwareItemOutput"][];
            page: number;
            limit: number;
            total_pages: number;
        };
        CompatListLearnwareInputRequest: {
            /**
             * Format: int64
             * @description 0-based.
             */
            page: number;
            limit: number;
            is_verified?: boolean | null;
        };
        CompatListOutput: {
            /** @description 0 on success, else the error code. */
            code: number;
            msg: string;
            data?: components["schemas"]["CompatListDataOutput"];
        };
        CompatLoginByTokenInputRequest: {
            email: string;
            /** @description One of your API tokens. */
            token: string;
        };
        CompatLoginDataOutput: {
            /** @description Send as `Authorization: Bearer <token>`. */
            token: string;
        };
        CompatLoginOutput: {
            /** @description 0 on success, else the error code. */
            code: number;
            msg: string;
            data?: components["schemas"]["CompatLoginDataOutput"];
        };
        CompatSearchLearnwareInputRequest: {
            /** @description JSON; any field may be empty (no filter). */
            semantic_specification: string;
            /** Format: binary */
            statistical_specification?: string;
            limit?: number;
            /** @default 0 */
            page: number;
        };
        CompatSemanticDataOutput: {
            /** @description `{key: {Type, Values}}` for Data, Task, Library, Scenario, License, Name, Description. */
            semantic_specification: {
                [key: string]: unknown;
            };
        };
        CompatSemanticOutput: {
            /** @description 0 on success, else the error code. */
            code: number;
            msg: string;
            data?: components["schemas"]["CompatSemanticDataOutput"];
        };
        CompatStatusOutput: {
            /** @description 0 on success, else the error code. */
            code: number;
            msg: string;
        };
        CompatUpdateLearnwareInputRequest: {
            learnware_id: string;
            /** @description The semantic specification as a JSON string. */
            semantic_specification: string;
            /**
             * Format: binary
             * @description A new package; absent or empty means: keep the package.
             */
            learnware_file?: string;
        };
        CsrfTokenOutput: {
            /** @description Also set as the `csrftoken` cookie; send it as `X-CSRFToken`. */
            csrf_token: string;
        };
        /**
         * @description * `approve` - approve
         *     * `reject` - reject
         * @enum {string}
         */
        DecisionEnum: "approve" | "reject";
        /** @description The body of every 4xx (and 5xx) response. */
        ErrorOutput: {
            /** @description What went wrong, for a person to read. */
            message: string;
            /** @description Details: `fields` maps each invalid field to its problems. */
            extra: {
                [key: string]: unknown;
            };
        };
        ExampleSpecOutput: {
            id: number;
            name: string;
            description: string;
            data_type: string;
            stat_spec_type: string;
            /** @description The example user's columns (a semantic spec's Input, in their own words): send it as the search's `input` with the spec. */
            input: unknown;
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
            status: components["schemas"]["HealthOutputStatusEnum"];
            checks: components["schemas"]["HealthChecksOutput"];
        };
        /**
         * @description * `ok` - ok
         *     * `unavailable` - unavailable
         * @enum {string}
         */
        HealthOutputStatusEnum: "ok" | "unavailable";
        LatestVersionOutput: {
            id: number;
            number: number;
            status: components["schemas"]["VersionStatusEnum"];
        };
        LearnwareCreateInputRequest: {
            /** @description The semantic specification (original layout), as JSON. */
            semantic_spec: unknown;
            /**
             * Format: binary
             * @description The learnware zip.
             */
            package: string;
        };
        LearnwareCreateOutput: {
            id: number;
            name: string;
            owner: components["schemas"]["OwnerOutput"];
            data_type: string;
            task_type: string;
            library_type: string;
            license: string;
            scenarios: string[];
            semantic_spec: unknown;
            live_version: components["schemas"]["VersionOutput"] | null;
            downloads: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            version: components["schemas"]["VersionOutput"];
        };
        LearnwareOutput: {
            id: number;
            name: string;
            owner: components["schemas"]["OwnerOutput"];
            data_type: string;
            task_type: string;
            library_type: string;
            license: string;
            scenarios: string[];
            semantic_spec: unknown;
            live_version: components["schemas"]["VersionOutput"] | null;
            downloads: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        LearnwareSearchInputRequest: {
            data_type?: string;
            task_type?: string;
            library_type?: string;
            license?: string;
            /** @description any of these */
            scenarios?: string[];
            /** @description Text matched against names (typo-tolerant) and by meaning. */
            query?: string;
            /**
             * Format: binary
             * @description Your RKME stat.json, made locally from your data (`bmw spec table DATA -o stat.json`): ranks by MMD.
             */
            stat_spec?: string;
            top_k?: number;
            /**
             * @description Also look for a weighted combination of learnwares (slower).
             * @default true
             */
            multiple: boolean;
            /** @description Your table's columns, as the semantic spec's Input: `{"Dimension": 2, "Description": {"0": "age", "1": "income"}}` (JSON). It locates the learnwares whose columns mean the same (other words, another order and CSV headers match); a table RKME that no learnware shares the columns of is searched in the specification world (heterogeneous search). */
            input?: unknown;
            /** @description What you predict, as the semantic spec's Output: `{"Dimension": 1, "Description": {"0": "delay in minutes"}}` (JSON; for classes, one description per label). Learnwares predicting something else are not offered. */
            output?: unknown;
            /** @description Search the specification world even if learnwares share your columns (needs `input` and an active engine). Default false. */
            hetero?: boolean;
        };
        LearnwareSearchOutput: {
            count: number;
            results: components["schemas"]["SearchHitOutput"][];
            multiple: components["schemas"]["SearchMultipleOutput"] | null;
            /** @description The ranking was done in the specification world: the results come from other feature spaces (reuse them through the world). */
            heterogeneous?: boolean;
            /** @description The specification-world engine version used, if heterogeneous. */
            engine_version?: string | null;
            /** @description Nothing found is a trustworthy answer (no island fits your columns, the best confidence is below the threshold, or no text is close): `reason` says why and no statistical results are listed. */
            no_match: boolean;
            /** @description Why there is no good match, or why the results may be weak. */
            reason: string | null;
        };
        MarketDayOutput: {
            /** Format: date */
            date: string;
            /** @description Versions uploaded. */
            submitted: number;
            approved: number;
            rejected: number;
            check_failed: number;
            searches: number;
            downloads: number;
            /** @description Learnwares listed at the end of the day, by data type. */
            listed: {
                [key: string]: number;
            };
        };
        MarketStatsOutput: {
            days: number;
            totals: components["schemas"]["MarketTotalsOutput"];
            /** @description Listed learnwares by data type. */
            by_type: {
                [key: string]: number;
            };
            /** @description Versions by status. */
            by_status: {
                [key: string]: number;
            };
            /** @description Oldest day first (UTC). */
            daily: components["schemas"]["MarketDayOutput"][];
        };
        MarketTotalsOutput: {
            /** @description Listed (approved) learnwares. */
            learnwares: number;
            /** @description Active users. */
            users: number;
            awaiting_review: number;
            /** @description All-time, of listed learnwares. */
            downloads: number;
            /** @description All-time. */
            searches: number;
        };
        MyLearnwareOutput: {
            id: number;
            name: string;
            owner: components["schemas"]["OwnerOutput"];
            data_type: string;
            task_type: string;
            library_type: string;
            license: string;
            scenarios: string[];
            semantic_spec: unknown;
            live_version: components["schemas"]["VersionOutput"] | null;
            downloads: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description The newest version, approved or not. */
            latest_version: components["schemas"]["LatestVersionOutput"];
        };
        NotificationOutput: {
            id: number;
            title: string;
            body: string;
            learnware_id: number | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            read_at: string | null;
        };
        OwnerOutput: {
            id: number;
            display_name: string;
        };
        PaginatedApiTokenOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["ApiTokenOutput"][];
        };
        PaginatedAuditEntryOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["AuditEntryOutput"][];
        };
        PaginatedLearnwareOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["LearnwareOutput"][];
        };
        PaginatedMyLearnwareOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["MyLearnwareOutput"][];
        };
        PaginatedNotificationOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["NotificationOutput"][];
        };
        PaginatedReviewQueueItemOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["ReviewQueueItemOutput"][];
        };
        PaginatedUserAdminOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["UserAdminOutput"][];
        };
        PaginatedWorldEngineVersionOutputList: {
            /** @example 123 */
            count: number;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=4
             */
            next?: string | null;
            /**
             * Format: uri
             * @example http://api.example.org/accounts/?page=2
             */
            previous?: string | null;
            results: components["schemas"]["WorldEngineVersionOutput"][];
        };
        PatchedLearnwareUpdateInputRequest: {
            semantic_spec?: unknown;
        };
        PatchedUserMeUpdateInputRequest: {
            display_name?: string;
        };
        PickleScanFileOutput: {
            /** @description Path in the package. */
            file: string;
            /** @description pickle, joblib, zip, pytorch or numpy; '+zlib' etc. if compressed. */
            format: string;
            /** @description Why it could not be scanned; '' if it was. */
            error: string;
        };
        PickleScanFindingOutput: {
            file: string;
            module: string;
            name: string;
            /**
             * @description picklescan's rating of the global; dangerous ones fail the check.
             *
             *     * `dangerous` - Dangerous
             *     * `suspicious` - Suspicious
             *     * `innocuous` - Innocuous
             */
            severity: components["schemas"]["SeverityEnum"];
        };
        PickleScanOutput: {
            /** @description The scanner and its version. */
            scanner: string;
            files: components["schemas"]["PickleScanFileOutput"][];
            /** @description The globals the pickles refer to, dangerous first. */
            findings: components["schemas"]["PickleScanFindingOutput"][];
            /** @description More files or findings than are listed. */
            truncated: boolean;
        };
        PredictInputRequest: {
            /** @description Table learnwares: one CSV/TSV file (an optional header row, one row per sample, as many columns as the learnware's input dimension). Text: one .txt (a text per line), .jsonl or .json (a list of strings). Image: image files or one .zip of them. Size- and row-limited. */
            file: string[];
        };
        PredictMultipleInputRequest: {
            /** @description Table learnwares: one CSV/TSV file (an optional header row, one row per sample, as many columns as the learnware's input dimension). Text: one .txt (a text per line), .jsonl or .json (a list of strings). Image: image files or one .zip of them. Size- and row-limited. */
            file: string[];
            learnware_ids: number[];
            /**
             * @description averaging: weighted mean / vote; job_selector: each row goes to the learnware whose RKME fits it best (table learnwares).
             *
             *     * `averaging` - averaging
             *     * `job_selector` - job_selector
             * @default averaging
             */
            reuser: components["schemas"]["ReuserEnum"];
            /** @description One per learnware, e.g. the weights of a multiple search result. */
            weights?: number[];
        };
        PredictionOutput: {
            learnware_ids: number[];
            reuser: string | null;
            n_rows: number;
            /** @description One per input row: a label (classification) or the output. */
            predictions: unknown[];
            /** @description Class probabilities per row, if the classifier gives them. */
            probabilities: (number | null)[][] | null;
            timing: components["schemas"]["PredictionTimingOutput"];
        };
        PredictionTimingOutput: {
            /**
             * Format: double
             * @description Starting the model(s) in the sandbox.
             */
            start_s: number;
            /** Format: double */
            predict_s: number;
            /**
             * Format: double
             * @description The whole request, queue included.
             */
            total_s: number;
        };
        /**
         * @description * `averaging` - averaging
         *     * `job_selector` - job_selector
         * @enum {string}
         */
        ReuserEnum: "averaging" | "job_selector";
        ReviewInputRequest: {
            decision: components["schemas"]["DecisionEnum"];
            reason?: string;
        };
        ReviewQueueItemOutput: {
            id: number;
            learnware_id: number;
            number: number;
            status: components["schemas"]["VersionStatusEnum"];
            package_size: number;
            package_sha256: string;
            stat_spec_type: string;
            semantic_spec: unknown;
            failure_reason: string;
            review_reason: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            checked_at: string | null;
            /** Format: date-time */
            reviewed_at: string | null;
            learnware_name: string;
            owner: components["schemas"]["OwnerOutput"];
            check_steps: components["schemas"]["CheckStepOutput"][];
        };
        /**
         * @description * `user` - User
         *     * `reviewer` - Reviewer
         *     * `admin` - Admin
         * @enum {string}
         */
        RoleEnum: "user" | "reviewer" | "admin";
        SearchHitOutput: {
            learnware: components["schemas"]["LearnwareOutput"];
            /**
             * Format: double
             * @description In [0, 1], comparable across queries: exp(-MMD^2 / (10 r)) with r the kernel's resolution for statistical search; the text score otherwise.
             */
            score: number | null;
            /**
             * Format: double
             * @description Exact squared MMD.
             */
            mmd2: number | null;
            /** Format: double */
            text_score: number | null;
            /**
             * Format: double
             * @description Table search (on your columns' island, or in the specification world): the estimated chance, in [0, 1], that this learnware was built on data like yours (calibrated, docs/search-trust.md); null where none is estimated (text, image and same-space ranking).
             */
            confidence: number | null;
            /** @description Why this result may be weak, if it may. */
            reason: string | null;
            /** @description The learnware's columns your data cannot feed (0-based). */
            missing_columns: number[];
        };
        SearchMultipleOutput: {
            learnwares: components["schemas"]["LearnwareOutput"][];
            /** @description Mixture weights (sum to 1). */
            weights: number[];
            /** Format: double */
            mmd2: number;
            /** Format: double */
            score: number;
            reason: string;
            /**
             * Format: double
             * @description The members' confidences averaged by weight (null if none).
             */
            confidence: number | null;
        };
        SemanticVocabularyOutput: {
            data_types: string[];
            task_types: string[];
            library_types: string[];
            scenarios: string[];
            licenses: string[];
            model_types: string[];
            /** @description The tasks allowed for each data type. */
            tasks_by_data: {
                [key: string]: string[];
            };
            /** @description [min, max] characters */
            name_length: number[];
            /** @description [min, max] characters */
            description_length: number[];
        };
        /**
         * @description * `dangerous` - Dangerous
         *     * `suspicious` - Suspicious
         *     * `innocuous` - Innocuous
         * @enum {string}
         */
        SeverityEnum: "dangerous" | "suspicious" | "innocuous";
        /**
         * @description * `training` - Training
         *     * `regenerating` - Generating system specifications
         *     * `ready` - Ready
         *     * `active` - Active
         *     * `failed` - Failed
         *     * `retired` - Retired
         * @enum {string}
         */
        StateEnum: "training" | "regenerating" | "ready" | "active" | "failed" | "retired";
        /**
         * @description * `manual` - An administrator
         *     * `approvals` - New approvals
         *     * `schedule` - The daily schedule
         * @enum {string}
         */
        TriggerEnum: "manual" | "approvals" | "schedule";
        UserAdminOutput: {
            id: number;
            /** Format: email */
            email: string;
            display_name: string;
            role: components["schemas"]["RoleEnum"];
            is_active: boolean;
            email_verified: boolean;
            /** Format: date-time */
            date_joined: string;
            /** Format: date-time */
            last_login: string | null;
        };
        UserEmailVerifyInputRequest: {
            token: string;
        };
        UserLoginInputRequest: {
            /** Format: email */
            email: string;
            password: string;
        };
        UserMeOutput: {
            id: number;
            /** Format: email */
            email: string;
            display_name: string;
            role: components["schemas"]["RoleEnum"];
            /** @description False until the link in the verification e-mail is opened. */
            email_verified: boolean;
            /** Format: date-time */
            date_joined: string;
        };
        UserPasswordChangeInputRequest: {
            old_password: string;
            new_password: string;
        };
        UserPasswordResetConfirmInputRequest: {
            token: string;
            new_password: string;
            /** @description Revoke every API token of the account too (default true): whoever knew the old password may have made one. */
            revoke_api_tokens?: boolean;
        };
        UserPasswordResetRequestInputRequest: {
            /** Format: email */
            email: string;
        };
        UserRegisterInputRequest: {
            /** Format: email */
            email: string;
            password: string;
            /** @default  */
            display_name: string;
        };
        UserRegisterOutput: {
            /**
             * Format: email
             * @description The address the e-mail went to.
             */
            email: string;
            message: string;
        };
        UserRoleSetInputRequest: {
            role: components["schemas"]["RoleEnum"];
        };
        VersionCreateInputRequest: {
            /** Format: binary */
            package?: string;
            semantic_spec?: unknown;
        };
        VersionDetailOutput: {
            id: number;
            learnware_id: number;
            number: number;
            status: components["schemas"]["VersionStatusEnum"];
            package_size: number;
            package_sha256: string;
            stat_spec_type: string;
            semantic_spec: unknown;
            failure_reason: string;
            review_reason: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            checked_at: string | null;
            /** Format: date-time */
            reviewed_at: string | null;
            check_steps: components["schemas"]["CheckStepOutput"][];
        };
        VersionOutput: {
            id: number;
            learnware_id: number;
            number: number;
            status: components["schemas"]["VersionStatusEnum"];
            package_size: number;
            package_sha256: string;
            stat_spec_type: string;
            semantic_spec: unknown;
            failure_reason: string;
            review_reason: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            checked_at: string | null;
            /** Format: date-time */
            reviewed_at: string | null;
        };
        /**
         * @description * `queued` - Queued for checks
         *     * `checking` - Checking
         *     * `check_failed` - Check failed
         *     * `awaiting_review` - Awaiting review
         *     * `approved` - Approved
         *     * `rejected` - Rejected
         * @enum {string}
         */
        VersionStatusEnum: "queued" | "checking" | "check_failed" | "awaiting_review" | "approved" | "rejected";
        WorldEngineActivationOutput: {
            id: number;
            /** @description The engine's content hash; null until trained. */
            version: string | null;
            state: components["schemas"]["StateEnum"];
            trigger: components["schemas"]["TriggerEnum"];
            triggered_by: components["schemas"]["OwnerOutput"] | null;
            activated_by: components["schemas"]["OwnerOutput"] | null;
            /** @description Table learnwares the engine was trained on. */
            learnware_count: number;
            /** @description Eligible table learnwares when the training was requested. */
            readonly candidate_count: number;
            /** @description Training figures: tables, points, columns, loss_first_epoch, loss_last_epoch, view_match_top1 (held-out view matching), train_s. */
            metrics: {
                [key: string]: unknown;
            };
            /** @description `net` and `train` configuration. */
            config: {
                [key: string]: unknown;
            };
            /** @description While running: `{phase: training|regenerating, done, total}`. */
            progress: {
                [key: string]: unknown;
            };
            /** @description Why the training failed. */
            error: string;
            /** @description The training's Celery task id. */
            task_id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            finished_at: string | null;
            /** Format: date-time */
            activated_at: string | null;
            /** @description Set with 202: the task generating the system specs of learnwares approved since the version was trained, then activating it. */
            activation_task_id: string | null;
        };
        WorldEngineVersionOutput: {
            id: number;
            /** @description The engine's content hash; null until trained. */
            version: string | null;
            state: components["schemas"]["StateEnum"];
            trigger: components["schemas"]["TriggerEnum"];
            triggered_by: components["schemas"]["OwnerOutput"] | null;
            activated_by: components["schemas"]["OwnerOutput"] | null;
            /** @description Table learnwares the engine was trained on. */
            learnware_count: number;
            /** @description Eligible table learnwares when the training was requested. */
            readonly candidate_count: number;
            /** @description Training figures: tables, points, columns, loss_first_epoch, loss_last_epoch, view_match_top1 (held-out view matching), train_s. */
            metrics: {
                [key: string]: unknown;
            };
            /** @description `net` and `train` configuration. */
            config: {
                [key: string]: unknown;
            };
            /** @description While running: `{phase: training|regenerating, done, total}`. */
            progress: {
                [key: string]: unknown;
            };
            /** @description Why the training failed. */
            error: string;
            /** @description The training's Celery task id. */
            task_id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            finished_at: string | null;
            /** Format: date-time */
            activated_at: string | null;
        };
        WorldIslandOutput: {
            /** @description Dimension and a short hash of the column descriptions. */
            key: string;
            label: string;
            dimension: number;
            count: number;
        };
        WorldPointOutput: {
            learnware_id: number;
            name: string;
            /** Format: double */
            x: number;
            /** Format: double */
            y: number;
            /** @description The key of the learnware's island. */
            island: string;
        };
        WorldProjectionOutput: {
            engine_version: string;
            state: components["schemas"]["StateEnum"];
            /** @description Share of the variance along x and y. */
            explained_variance: number[];
            islands: components["schemas"]["WorldIslandOutput"][];
            points: components["schemas"]["WorldPointOutput"][];
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
    audit_list: {
        parameters: {
            query?: {
                /**
                 * @description * `learnware.approve` - Approved a version
                 *     * `learnware.reject` - Rejected a version
                 *     * `learnware.update` - Edited a learnware
                 *     * `learnware.delete` - Deleted a learnware
                 *     * `learnware.recheck` - Re-ran a version's checks
                 *     * `user.role` - Changed a user's role
                 *     * `user.deactivate` - Deactivated a user
                 *     * `user.reactivate` - Reactivated a user
                 *     * `world.train` - Started a specification-world training
                 *     * `world.activate` - Activated a specification-world engine
                 */
                action?: "learnware.approve" | "learnware.reject" | "learnware.update" | "learnware.delete" | "learnware.recheck" | "user.role" | "user.deactivate" | "user.reactivate" | "world.train" | "world.activate";
                /** @description The acting user's id. */
                actor?: number;
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
                target_id?: number;
                /**
                 * @description * `user` - User
                 *     * `learnware` - Learnware
                 */
                target_type?: "user" | "learnware";
            };
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
                    "application/json": components["schemas"]["PaginatedAuditEntryOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    admin_learnwares_list: {
        parameters: {
            query?: {
                /**
                 * @description * `Table` - Table
                 *     * `Image` - Image
                 *     * `Text` - Text
                 */
                data_type?: "Table" | "Image" | "Text";
                owner?: number;
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
                /** @description Part of the name or of the owner's e-mail (case-insensitive). */
                q?: string;
                /**
                 * @description live: listed; in_progress: newest version queued, checking or awaiting review; attention: newest version failed its checks or was rejected.
                 *
                 *     * `live` - live
                 *     * `in_progress` - in_progress
                 *     * `attention` - attention
                 */
                state?: "live" | "in_progress" | "attention";
                /**
                 * @description The newest version's status.
                 *
                 *     * `queued` - Queued for checks
                 *     * `checking` - Checking
                 *     * `check_failed` - Check failed
                 *     * `awaiting_review` - Awaiting review
                 *     * `approved` - Approved
                 *     * `rejected` - Rejected
                 */
                status?: "queued" | "checking" | "check_failed" | "awaiting_review" | "approved" | "rejected";
            };
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
                    "application/json": components["schemas"]["PaginatedMyLearnwareOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    admin_stats: {
        parameters: {
            query?: {
                /** @description Window. */
                days?: number;
            };
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
                    "application/json": components["schemas"]["MarketStatsOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
    admin_world_projection: {
        parameters: {
            query?: {
                /** @description Default: the active version. */
                version?: string;
            };
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
                    "application/json": components["schemas"]["WorldProjectionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    admin_world_versions_list: {
        parameters: {
            query?: {
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
            };
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
                    "application/json": components["schemas"]["PaginatedWorldEngineVersionOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    admin_world_versions_train: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorldEngineVersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    admin_world_versions_activate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                engine_version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorldEngineActivationOutput"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorldEngineActivationOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    api_tokens_list: {
        parameters: {
            query?: {
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
            };
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
                    "application/json": components["schemas"]["PaginatedApiTokenOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    api_tokens_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiTokenCreateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ApiTokenCreateInputRequest"];
                "multipart/form-data": components["schemas"]["ApiTokenCreateInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenCreateOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    api_tokens_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                api_token_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    auth_csrf: {
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
                    "application/json": components["schemas"]["CsrfTokenOutput"];
                };
            };
        };
    };
    auth_email_verification_send: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The e-mail is on its way. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    auth_email_verification_confirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserEmailVerifyInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserEmailVerifyInputRequest"];
                "multipart/form-data": components["schemas"]["UserEmailVerifyInputRequest"];
            };
        };
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserLoginInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserLoginInputRequest"];
                "multipart/form-data": components["schemas"]["UserLoginInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMeOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
    auth_password_reset_request: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPasswordResetRequestInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserPasswordResetRequestInputRequest"];
                "multipart/form-data": components["schemas"]["UserPasswordResetRequestInputRequest"];
            };
        };
        responses: {
            /** @description If the account exists, a link is sent. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    auth_password_reset_confirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPasswordResetConfirmInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserPasswordResetConfirmInputRequest"];
                "multipart/form-data": components["schemas"]["UserPasswordResetConfirmInputRequest"];
            };
        };
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    auth_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRegisterInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserRegisterInputRequest"];
                "multipart/form-data": components["schemas"]["UserRegisterInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRegisterOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    bundles_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BundleCreateInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    compat_auth_login_by_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompatLoginByTokenInputRequest"];
                "multipart/form-data": components["schemas"]["CompatLoginByTokenInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["CompatLoginByTokenInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatLoginOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_auth_logout: {
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
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_engine_download_learnware: {
        parameters: {
            query: {
                /** @description e.g. 00000082 */
                learnware_id: string;
            };
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
                    "application/zip": string;
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_engine_learnware_info: {
        parameters: {
            query: {
                /** @description e.g. 00000082 */
                learnware_id: string;
            };
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
                    "application/json": components["schemas"]["CompatInfoOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_engine_search_learnware: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["CompatSearchLearnwareInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_engine_semantic_specification: {
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
                    "application/json": components["schemas"]["CompatSemanticOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_user_add_learnware_uploaded: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompatAddLearnwareUploadedInputRequest"];
                "multipart/form-data": components["schemas"]["CompatAddLearnwareUploadedInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["CompatAddLearnwareUploadedInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatAddOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_user_chunked_upload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["CompatChunkedUploadInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_user_delete_learnware: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompatLearnwareIdInputRequest"];
                "multipart/form-data": components["schemas"]["CompatLearnwareIdInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["CompatLearnwareIdInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_user_list_learnware: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompatListLearnwareInputRequest"];
                "multipart/form-data": components["schemas"]["CompatListLearnwareInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["CompatListLearnwareInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatListOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    compat_user_update_learnware: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["CompatUpdateLearnwareInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompatStatusOutput"];
                };
            };
        };
    };
    learnwares_list: {
        parameters: {
            query?: {
                /** @description Table, Image or Text */
                data_type?: string;
                library_type?: string;
                license?: string;
                /** @description only this owner's learnwares */
                owner?: number;
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
                task_type?: string;
            };
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
                    "application/json": components["schemas"]["PaginatedLearnwareOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["LearnwareCreateInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LearnwareCreateOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LearnwareOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedLearnwareUpdateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["PatchedLearnwareUpdateInputRequest"];
                "multipart/form-data": components["schemas"]["PatchedLearnwareUpdateInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LearnwareOutput"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_bundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_predict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["PredictInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PredictionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnware_versions_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"][];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnware_versions_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                learnware_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "multipart/form-data": components["schemas"]["VersionCreateInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    my_learnwares_list: {
        parameters: {
            query?: {
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
                /**
                 * @description live: listed; in_progress: newest version queued, checking or awaiting review; attention: newest version failed its checks or was rejected.
                 *
                 *     * `live` - live
                 *     * `in_progress` - in_progress
                 *     * `attention` - attention
                 */
                state?: "live" | "in_progress" | "attention";
            };
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
                    "application/json": components["schemas"]["PaginatedMyLearnwareOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_search: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "multipart/form-data": components["schemas"]["LearnwareSearchInputRequest"];
                "application/json": components["schemas"]["LearnwareSearchInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LearnwareSearchOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    notifications_list: {
        parameters: {
            query?: {
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
                /** @description only unread notices (count = unread) */
                unread?: boolean;
            };
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
                    "application/json": components["schemas"]["PaginatedNotificationOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    notifications_read: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notification_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    learnwares_predict_multiple: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["PredictMultipleInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PredictionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    reviews_queue: {
        parameters: {
            query?: {
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
            };
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
                    "application/json": components["schemas"]["PaginatedReviewQueueItemOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    search_examples_list: {
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
                    "application/json": components["schemas"]["ExampleSpecOutput"][];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    search_examples_stat_spec: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                example_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    semantic_vocabulary: {
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
                    "application/json": components["schemas"]["SemanticVocabularyOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    users_list: {
        parameters: {
            query?: {
                email_verified?: boolean | null;
                is_active?: boolean | null;
                /** @description A page number within the paginated result set. */
                page?: number;
                /** @description Number of results to return per page. */
                page_size?: number;
                /** @description Part of the e-mail address or display name (case-insensitive). */
                q?: string;
                /**
                 * @description * `user` - User
                 *     * `reviewer` - Reviewer
                 *     * `admin` - Admin
                 */
                role?: "user" | "reviewer" | "admin";
            };
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
                    "application/json": components["schemas"]["PaginatedUserAdminOutputList"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    users_deactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserAdminOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    users_reactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserAdminOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    users_role_set: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRoleSetInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserRoleSetInputRequest"];
                "multipart/form-data": components["schemas"]["UserRoleSetInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserAdminOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    users_me_update: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedUserMeUpdateInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["PatchedUserMeUpdateInputRequest"];
                "multipart/form-data": components["schemas"]["PatchedUserMeUpdateInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMeOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    users_me_password_change: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPasswordChangeInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["UserPasswordChangeInputRequest"];
                "multipart/form-data": components["schemas"]["UserPasswordChangeInputRequest"];
            };
        };
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    versions_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDetailOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    versions_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    versions_recheck: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    versions_review: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReviewInputRequest"];
                "application/x-www-form-urlencoded": components["schemas"]["ReviewInputRequest"];
                "multipart/form-data": components["schemas"]["ReviewInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionOutput"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
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
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    versions_stat_spec: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
        };
    };
    world_engine_download: {
        parameters: {
            query?: {
                /** @description an engine version; default the active */
                version?: string;
            };
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
                    "application/octet-stream": string;
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOutput"];
                };
            };
            404: {
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
