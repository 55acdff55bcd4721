-- 1: the first auth schema: OpenIddict's four tables (EF model of OpenIddict.EntityFrameworkCore 7.8) and OpenHIP's users, used assertion ids and keys.
-- Generated once from AuthDbContext with GenerateCreateScript, then kept by hand: later migrations only add.

CREATE TABLE "__SCHEMA__"."OpenHipKeys" (
    "Id" character varying(100) NOT NULL,
    "Use" character varying(10) NOT NULL,
    "Algorithm" character varying(20) NOT NULL,
    "Material" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "RetiresAt" timestamp with time zone,
    CONSTRAINT "PK_OpenHipKeys" PRIMARY KEY ("Id")
);

CREATE TABLE "__SCHEMA__"."OpenHipUsedAssertions" (
    "Id" character varying(600) NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_OpenHipUsedAssertions" PRIMARY KEY ("Id")
);

CREATE TABLE "__SCHEMA__"."OpenHipUsers" (
    "Id" character varying(100) NOT NULL,
    "UserName" character varying(200) NOT NULL,
    "PasswordHash" text NOT NULL,
    "Kind" character varying(20) NOT NULL,
    "FhirUser" character varying(200),
    "Roles" text NOT NULL,
    "Source" character varying(400),
    "PurposesOfUse" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_OpenHipUsers" PRIMARY KEY ("Id")
);

CREATE TABLE "__SCHEMA__"."OpenIddictApplications" (
    "Id" text NOT NULL,
    "ApplicationType" character varying(50),
    "ClientId" character varying(100),
    "ClientSecret" text,
    "ClientType" character varying(50),
    "ConcurrencyToken" character varying(50),
    "ConsentType" character varying(50),
    "DisplayName" text,
    "DisplayNames" text,
    "JsonWebKeySet" text,
    "Permissions" text,
    "PostLogoutRedirectUris" text,
    "Properties" text,
    "RedirectUris" text,
    "Requirements" text,
    "Settings" text,
    CONSTRAINT "PK_OpenIddictApplications" PRIMARY KEY ("Id")
);

CREATE TABLE "__SCHEMA__"."OpenIddictScopes" (
    "Id" text NOT NULL,
    "ConcurrencyToken" character varying(50),
    "Description" text,
    "Descriptions" text,
    "DisplayName" text,
    "DisplayNames" text,
    "Name" character varying(200),
    "Properties" text,
    "Resources" text,
    CONSTRAINT "PK_OpenIddictScopes" PRIMARY KEY ("Id")
);

CREATE TABLE "__SCHEMA__"."OpenIddictAuthorizations" (
    "Id" text NOT NULL,
    "ApplicationId" text,
    "ConcurrencyToken" character varying(50),
    "CreationDate" timestamp with time zone,
    "Properties" text,
    "Scopes" text,
    "Status" character varying(50),
    "Subject" character varying(400),
    "Type" character varying(50),
    CONSTRAINT "PK_OpenIddictAuthorizations" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_OpenIddictAuthorizations_OpenIddictApplications_Application~" FOREIGN KEY ("ApplicationId") REFERENCES "__SCHEMA__"."OpenIddictApplications" ("Id")
);

CREATE TABLE "__SCHEMA__"."OpenIddictTokens" (
    "Id" text NOT NULL,
    "ApplicationId" text,
    "AuthorizationId" text,
    "ConcurrencyToken" character varying(50),
    "CreationDate" timestamp with time zone,
    "ExpirationDate" timestamp with time zone,
    "Payload" text,
    "Properties" text,
    "RedemptionDate" timestamp with time zone,
    "ReferenceId" character varying(100),
    "Status" character varying(50),
    "Subject" character varying(400),
    "Type" character varying(150),
    CONSTRAINT "PK_OpenIddictTokens" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "__SCHEMA__"."OpenIddictApplications" ("Id"),
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "__SCHEMA__"."OpenIddictAuthorizations" ("Id")
);

CREATE INDEX "IX_OpenHipUsedAssertions_ExpiresAt" ON "__SCHEMA__"."OpenHipUsedAssertions" ("ExpiresAt");

CREATE UNIQUE INDEX "IX_OpenHipUsers_UserName" ON "__SCHEMA__"."OpenHipUsers" ("UserName");

CREATE UNIQUE INDEX "IX_OpenIddictApplications_ClientId" ON "__SCHEMA__"."OpenIddictApplications" ("ClientId");

CREATE INDEX "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type" ON "__SCHEMA__"."OpenIddictAuthorizations" ("ApplicationId", "Status", "Subject", "Type");

CREATE UNIQUE INDEX "IX_OpenIddictScopes_Name" ON "__SCHEMA__"."OpenIddictScopes" ("Name");

CREATE INDEX "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type" ON "__SCHEMA__"."OpenIddictTokens" ("ApplicationId", "Status", "Subject", "Type");

CREATE INDEX "IX_OpenIddictTokens_AuthorizationId" ON "__SCHEMA__"."OpenIddictTokens" ("AuthorizationId");

CREATE UNIQUE INDEX "IX_OpenIddictTokens_ReferenceId" ON "__SCHEMA__"."OpenIddictTokens" ("ReferenceId");

